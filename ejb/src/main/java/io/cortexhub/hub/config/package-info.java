/**
 * Hub settings and runtime resources: every setting comes from MicroProfile Config (environment
 * variables override the defaults in this jar's {@code META-INF/microprofile-config.properties}),
 * and the clock, random source and executors are produced here so that logic receives them
 * instead of reaching for globals.
 */
package io.cortexhub.hub.config;
