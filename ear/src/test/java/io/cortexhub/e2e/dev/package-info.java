/**
 * The README's first command: builds on the end-to-end harness to run a hub on embedded H2 with one local
 * node attached, until Ctrl-C.
 */
package io.cortexhub.e2e.dev;
