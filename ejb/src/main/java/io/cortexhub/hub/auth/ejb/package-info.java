/**
 * Container wiring of the auth logic: {@link io.cortexhub.hub.auth.ejb.AuthRuntime} builds it at
 * deployment (after the schema migration) and creates the first admin; thin EJB facades expose
 * {@code UserAuthentication}, {@code UserDirectory} and {@code BearerTokens} to the web layer.
 */
package io.cortexhub.hub.auth.ejb;
