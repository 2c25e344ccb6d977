/**
 * Deployment tests of the two deployables: the all-in-one WAR on Payara Micro (Arquillian) and the
 * EAR on a full Payara Server, each driven over HTTP (and the tunnel) as a client would.
 */
package io.cortexhub.deploy;
