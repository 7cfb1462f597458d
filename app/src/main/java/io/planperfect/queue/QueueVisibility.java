package io.planperfect.queue;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How long a claimed message of each queue stays invisible before it is delivered again (crash
 * recovery): the queue's own setting ({@code <QUEUE>_QUEUE_VISIBILITY}, seed 002's
 * {@code PAGEPERFECT_QUEUE_VISIBILITY}), else the node's default ({@code CONTENT_QUEUE_VISIBILITY}).
 */
public record QueueVisibility(Duration fallback, Map<String, Duration> byQueue) {
  public QueueVisibility {
    byQueue = Map.copyOf(byQueue);
  }

  /** One visibility for every queue. */
  public static QueueVisibility everywhere(Duration visibility) {
    return new QueueVisibility(visibility, Map.of());
  }

  public Duration forQueue(String queue) {
    return byQueue.getOrDefault(variableFor(queue), fallback);
  }

  /** The environment variable that sets a queue's visibility (queue upper-cased, '-' written '_'). */
  public static String variableFor(String queue) {
    return queue.toUpperCase(Locale.ROOT).replace('-', '_') + "_QUEUE_VISIBILITY";
  }
}
