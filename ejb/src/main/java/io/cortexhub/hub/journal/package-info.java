/**
 * The group-commit journal: every task transition and output chunk goes to one writer that commits
 * whatever has queued up (at most a batch) in one transaction, then runs the callbacks that must
 * wait for durability (acknowledgements to nodes, notifications to subscribers).
 */
package io.cortexhub.hub.journal;
