package io.planperfect.queue;

import java.util.UUID;

/** A message id with the lease its holder got from the claim (null for a message never read). */
public record Lease(long msgId, UUID token) {
  public static Lease of(QueueMessage message) {
    return new Lease(message.msgId(), message.lease());
  }
}
