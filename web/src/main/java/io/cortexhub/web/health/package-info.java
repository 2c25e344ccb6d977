/**
 * MicroProfile Health checks of the hub: readiness mirrors the hub's own dependency checks,
 * liveness only says the application answers.
 */
package io.cortexhub.web.health;
