package io.planperfect.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A message as a consumer sees it after a claim. The lease is the fencing token: archiving,
 * retrying, releasing or extending the message succeeds only while it still matches.
 */
public record QueueMessage(
    long msgId,
    String queue,
    String stage,
    UUID jobId,
    int priority,
    int readCount,
    OffsetDateTime enqueuedAt,
    OffsetDateTime visibleAt,
    UUID lease,
    JsonNode message) {

  /** The stage payload carried by the message ({@code message.payload}). */
  public JsonNode payload() {
    return message.path("payload");
  }
}
