/**
 * Harness for end-to-end tests and the dev launcher: starts the real hub WAR on Payara Micro and real
 * node-agent processes, talks to the hub over its public REST API, and awaits conditions with deadlines.
 *
 * <p>Nothing here reaches into the hub's internals: what the harness can observe is what an operator
 * can observe.
 */
package io.cortexhub.e2e.support;
