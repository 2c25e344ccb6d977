/** What the hub reports about its own readiness: the database, the tunnel listener. */
package io.cortexhub.hub.health;
