/**
 * The node's self-description sent in every Hello: agent version, operating system, kernel, CPUs,
 * memory, JVM, capabilities, labels and limits. Facts are probed once at start-up.
 */
package io.cortexhub.node.manifest;
