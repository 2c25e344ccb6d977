/**
 * The node's identity: its own EC P-256 key and the certificate the hub issued for it, the hub CAs
 * it trusts and the hub keys whose task signatures it accepts. Covers enrollment with a join token
 * ({@link io.cortexhub.node.identity.EnrollmentClient}), the private state directory holding the
 * credentials ({@link io.cortexhub.node.identity.CredentialStore}), and renewal over mutual TLS well
 * before expiry ({@link io.cortexhub.node.identity.CredentialRenewer}).
 */
package io.cortexhub.node.identity;
