package io.planperfect.dispatch;

import io.planperfect.queue.QueueMessage;
import java.util.Optional;

/**
 * Seed 001's worker endpoints ({@code /functions/v1/<queue>-<stage>-worker}) served by this node:
 * claim one message of the stage and run it here (implemented by the worker pool).
 */
public interface WorkerEndpoints {
  /** The message now running, or empty when the stage has nothing ready or is not worked on this node. */
  Optional<QueueMessage> runOneViaEndpoint(String queue, String stage);
}
