package io.planperfect.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** One message of a batch send. */
public record Outgoing(String stage, UUID jobId, JsonNode payload, SendOptions options) {}
