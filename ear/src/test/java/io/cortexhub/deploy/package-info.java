/**
 * Deployment tests of the two deployables: the all-in-one WAR on Payara Micro (Arquillian) and the
 * EAR on a full Payara Server, each driven over HTTP (and the tunnel) as a client would, through the
 * shared harness in {@code io.cortexhub.e2e.support}.
 */
package io.cortexhub.deploy;
