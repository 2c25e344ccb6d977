/**
 * The node's self-description sent in every Hello: agent version, operating system, kernel, CPUs,
 * memory, JVM, capabilities, labels and limits, and — read-only for the hub — the isolation level
 * the machine really offers, the owner's consent mode and the effective local policy with its
 * digest. Facts are probed once at start-up.
 */
package io.cortexhub.node.manifest;
