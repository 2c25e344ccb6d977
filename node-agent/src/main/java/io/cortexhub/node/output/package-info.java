/**
 * Output that must not be lost. Each task's chunks are numbered from 1 and kept until the hub
 * acknowledges them cumulatively; the in-memory part is bounded per task and the rest spills to
 * files under the work directory within a disk budget shared by the node's tasks. When both are
 * full, the task's producers wait (backpressure on its pipes) instead of dropping anything.
 */
package io.cortexhub.node.output;
