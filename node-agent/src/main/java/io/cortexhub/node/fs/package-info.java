/**
 * The {@code fs} capability: file operations (list, stat, read, write, append, patch, mkdir, move,
 * delete) confined to the node's workspace roots. Paths are walked one component at a time with
 * {@code openat}-style relative operations that never follow symbolic links, writes replace files
 * atomically under advisory locks, and every change is reported for the audit log.
 */
package io.cortexhub.node.fs;
