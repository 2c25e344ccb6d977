/**
 * Output that must not be lost. Each task's chunks are numbered from 1 and kept until the hub
 * acknowledges them cumulatively; the in-memory part is bounded and the rest spills to a file under
 * the work directory, so a process may keep writing while the hub is unreachable.
 */
package io.cortexhub.node.output;
