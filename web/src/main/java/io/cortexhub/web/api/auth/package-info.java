/**
 * Authentication of the REST API: the caller as the resources see it ({@link
 * io.cortexhub.web.api.auth.Caller}), {@code POST /auth/token} for hub-issued tokens, the checks
 * the hub adds to Payara's MP-JWT ({@code nbf}, future {@code iat}), and the problem details of
 * every refusal, including the ones Payara answers before JAX-RS runs.
 */
package io.cortexhub.web.api.auth;
