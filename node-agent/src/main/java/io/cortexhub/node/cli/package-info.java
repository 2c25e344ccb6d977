/**
 * The {@code cortex-node} command line (picocli): {@code enroll}, {@code run}, {@code simulate} and
 * {@code version}. The only place that touches process-wide state — logging set-up, thread pools,
 * shutdown hooks and exit codes (0 success, 1 runtime failure, 2 bad arguments, 3 certificate
 * expired: re-enroll).
 */
package io.cortexhub.node.cli;
