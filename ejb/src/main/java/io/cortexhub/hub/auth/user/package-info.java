/**
 * Local users: salted PBKDF2 password hashes, the JDBC user table, the login throttle, the first
 * admin created at boot, and {@link io.cortexhub.hub.auth.user.LocalUsers}, the plain-Java logic
 * behind the container facades.
 */
package io.cortexhub.hub.auth.user;
