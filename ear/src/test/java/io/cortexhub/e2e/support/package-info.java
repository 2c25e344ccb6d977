/**
 * The one harness of this module's integration tests, the dev launcher and the benchmarks: starts the real
 * hub WAR on Payara Micro, a full Payara Server domain, real node-agent processes or an in-JVM test node;
 * talks to the hub over its public REST API, Server-Sent Events and tunnel; and awaits conditions with
 * deadlines.
 *
 * <p>Nothing here reaches into the hub's internals: what the harness can observe is what an operator
 * can observe.
 */
package io.cortexhub.e2e.support;
