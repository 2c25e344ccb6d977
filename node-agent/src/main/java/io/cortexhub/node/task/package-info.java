/**
 * Executing tasks: deciding whether to take an assignment ({@link io.cortexhub.node.task.TaskAdmission}),
 * and running it ({@link io.cortexhub.node.task.TaskRunner}: in-agent {@code echo}, real processes for
 * {@code shell}, confined by the node policy and sandbox). Stopping a process always means its whole
 * tree: the task runs in its own process group and cgroup and is tagged, so that descendants that
 * left the group are found too.
 */
package io.cortexhub.node.task;
