package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.engine.AcceptedJobs.AcceptedJob;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.NextStage;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.WorkAnnouncer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepts a batch of jobs (any pipelines) all or nothing: every job is checked by its pipeline's
 * intake rules first (the first bad one refuses the batch with {@link InvalidField} naming
 * {@code rows[N].<field>}, N counted from 1, and nothing is stored); then one transaction writes the
 * batch row, the jobs, their stage rows, their events and their first messages, one statement per
 * table (arrays unnested), whatever the batch's size.
 */
public final class BatchIntake {
  public static final int MAX_JOBS = 10_000;

  private final Jdbi jdbi;
  private final AcceptedJobs rows;
  private final WorkAnnouncer announcer;
  private final JobChangeSignal changes;

  /**
   * The stored batch: its id and its jobs' ids in the order given; {@code replayed} when an earlier
   * request with the same Idempotency-Key stored it and this is its answer.
   */
  public record Receipt(UUID batchId, List<UUID> jobIds, boolean replayed) {
    ObjectNode toJson() {
      ObjectNode json = Json.object().put("batch_id", batchId.toString());
      var ids = json.putArray("job_ids");
      jobIds.forEach(id -> ids.add(id.toString()));
      return json;
    }

    static Receipt replayOf(JsonNode json) {
      List<UUID> ids = new ArrayList<>();
      json.path("job_ids").forEach(id -> ids.add(UUID.fromString(id.asText())));
      return new Receipt(UUID.fromString(json.path("batch_id").asText()), ids, true);
    }
  }

  /** {@code mailRequesters}: as {@link Intake}'s, a job with a requester_email mails it when it ends. */
  public BatchIntake(Jdbi jdbi, MessageQueue queue, WorkAnnouncer announcer, RetryPolicy retryPolicy,
      QueueVisibility visibility, JobChangeSignal changes, boolean mailRequesters) {
    this.jdbi = jdbi;
    this.rows = new AcceptedJobs(queue, retryPolicy, visibility, mailRequesters);
    this.announcer = announcer;
    this.changes = changes;
  }

  /** Checks and stores the jobs as one batch; {@code callbackUrl} is stored for the batch's end (may be null). */
  public Receipt accept(List<NewJob> requests, String callbackUrl) {
    return accept(requests, callbackUrl, null);
  }

  /**
   * As {@link #accept(List, String)}, under an Idempotency-Key (null: none), claimed in the transaction
   * that stores the batch: as {@link Intake#accept(NewJob, IdempotencyKey)} does for one job.
   */
  public Receipt accept(List<NewJob> requests, String callbackUrl, IdempotencyKey key) {
    if (requests.isEmpty() || requests.size() > MAX_JOBS) {
      throw new InvalidField("jobs", "a batch holds 1 to " + MAX_JOBS + " jobs, got " + requests.size());
    }
    List<AcceptedJob> jobs = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      NewJob request = requests.get(i);
      String row = "rows[" + (i + 1) + "]";
      try {
        jobs.add(checked(request));
      } catch (InvalidField e) {
        throw new InvalidField(row + "." + e.field(), "row " + (i + 1) + ": " + e.getMessage());
      }
    }
    List<UUID> ids = jobs.stream().map(j -> UUID.randomUUID()).toList();
    UUID batchId = UUID.randomUUID();
    Set<String> announce = new LinkedHashSet<>();
    Receipt receipt = jdbi.inTransaction(h -> {
      if (key != null) {
        Optional<JsonNode> earlier = IdempotencyKeys.claim(h, key);
        if (earlier.isPresent()) {
          return Receipt.replayOf(earlier.get());
        }
      }
      insertBatch(h, batchId, jobs.stream().map(AcceptedJob::job).toList(), callbackUrl);
      announce.addAll(rows.insert(h, batchId, ids, jobs, "Job queued by batch intake"));
      Receipt stored = new Receipt(batchId, ids, false);
      if (key != null) {
        IdempotencyKeys.answer(h, key, stored.toJson());
      }
      return stored;
    });
    if (receipt.replayed()) {
      return receipt;
    }
    for (String queueAndStage : announce) {
      int colon = queueAndStage.indexOf('\n');
      announcer.announce(queueAndStage.substring(0, colon), queueAndStage.substring(colon + 1));
    }
    changes.changed();
    return receipt;
  }

  /**
   * One job checked as {@link #accept} checks each (its pipeline's intake rules, a start stage, no
   * schedule), storing nothing: for a preview that reports every bad row, not only the first.
   */
  public void check(NewJob request) {
    checked(request);
  }

  private static AcceptedJob checked(NewJob request) {
    if (request.scheduledAt() != null) {
      throw new InvalidField("scheduled_at", "scheduled_at is not taken in a batch");
    }
    PipelineDefinition pipeline = request.pipeline();
    ObjectNode payload = pipeline.intake().validate(request.payload().deepCopy());
    NextStage start = pipeline.start(request.initialStage(), payload);
    String stage = start.stage().orElseThrow(() -> new InvalidField("payload",
        "this payload would skip every stage of the " + pipeline.name() + " pipeline"));
    return new AcceptedJob(request.accepted(payload, stage), start.skipped());
  }

  private static void insertBatch(Handle h, UUID batchId, List<NewJob> jobs, String callbackUrl) {
    Set<String> pipelines = new LinkedHashSet<>();
    jobs.forEach(j -> pipelines.add(j.pipeline().name()));
    h.createUpdate("""
            insert into generation_batches (id, pipeline, total_jobs, callback_url)
            values (:id, :pipeline, :total, :callback)""")
        .bind("id", batchId).bind("pipeline", pipelines.size() == 1 ? pipelines.iterator().next() : "mixed")
        .bind("total", jobs.size()).bind("callback", callbackUrl).execute();
  }
}
