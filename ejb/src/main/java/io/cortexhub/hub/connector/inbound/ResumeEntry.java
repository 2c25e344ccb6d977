package io.cortexhub.hub.connector.inbound;

/**
 * What a reconnecting node still holds for one task (Hello.resume).
 *
 * @param taskId the task
 * @param ackedSeq highest seq the node saw acknowledged
 * @param producedSeq highest seq it produced
 * @param finished whether the task is over on the node
 */
public record ResumeEntry(String taskId, long ackedSeq, long producedSeq, boolean finished) {}
