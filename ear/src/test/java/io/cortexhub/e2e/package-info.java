/**
 * End-to-end tests: the real hub WAR on Payara Micro and real node-agent processes, driven only
 * through the hub's REST API and the operating system, exactly as an operator would.
 */
package io.cortexhub.e2e;
