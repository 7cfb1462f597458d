package io.planperfect.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** What moveToDeadLetter records, with seed 001's arguments: where, which message, why, how often tried. */
public record DeadLetter(
    String pipeline,
    String queue,
    long msgId,
    UUID lease,
    UUID jobId,
    String stage,
    JsonNode message,
    String reason,
    JsonNode errorDetails,
    int attemptCount) {}
