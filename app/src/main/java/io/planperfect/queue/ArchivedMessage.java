package io.planperfect.queue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A message kept in the archive after processing, with when it was archived. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ArchivedMessage(
    long msgId, String queue, String stage, UUID jobId, int priority, int readCount,
    OffsetDateTime enqueuedAt, OffsetDateTime archivedAt, JsonNode message) {}
