/**
 * Who may use the hub's REST API and console: local users with salted password hashes, the roles
 * {@code admin}, {@code operator} and {@code viewer}, the workspaces each user may see, and the
 * short-lived RS256 user tokens the hub issues for them (or the external issuer it trusts instead).
 * This package holds the API the web layer calls; {@code token}, {@code user} and {@code ejb} hold
 * the mechanisms and their container wiring.
 */
package io.cortexhub.hub.auth;
