/** {@code /api/v1/users}: the hub's local users, managed by admins. */
package io.cortexhub.web.api.users;
