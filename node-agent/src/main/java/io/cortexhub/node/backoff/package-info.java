/**
 * Reconnect pacing. After a failure the agent waits a random delay that grows exponentially and is
 * capped ("full jitter"), so that thousands of nodes cut off by one hub restart do not all come back
 * in the same second.
 */
package io.cortexhub.node.backoff;
