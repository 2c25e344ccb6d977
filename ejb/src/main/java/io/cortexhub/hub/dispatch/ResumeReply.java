package io.cortexhub.hub.dispatch;

/**
 * What the hub answers for one task a reconnecting node listed in Hello.resume.
 *
 * @param ackSeq output stored so far (sent as OutputAck)
 * @param cancel the hub no longer wants the task: send Cancel
 * @param finishedAck the task is already recorded as finished: send TaskFinishedAck
 */
public record ResumeReply(TaskId task, long ackSeq, boolean cancel, boolean finishedAck) {}
