/**
 * Checks a task before anything runs: the hub's Ed25519 signature over the exact task bytes, made
 * with a key pinned at enrollment ({@link io.cortexhub.node.verify.TaskVerifier}), and a nonce seen
 * only once, remembered across agent restarts until the task could no longer be valid anyway
 * ({@link io.cortexhub.node.verify.ReplayCache}).
 */
package io.cortexhub.node.verify;
