package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One change of a job as its event trail recorded it: the event's sequence number (increasing in
 * the order rows were written), the job, its pipeline and stage, the event type ({@code queued},
 * {@code processing}, {@code completed}, {@code skipped}, {@code waiting}, {@code error},
 * {@code retry_scheduled}, {@code dead_lettered}, {@code job_completed}, {@code cancelled} …).
 */
public record JobChange(long seq, UUID jobId, String pipeline, String stage, String event, String message,
    JsonNode metadata, OffsetDateTime at) {}
