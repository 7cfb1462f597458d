package io.planperfect.engine;

import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepts a validated job: the job row, its stage rows, the "queued" event and the first
 * message commit in one transaction, so an acknowledged job always has work waiting.
 */
public final class Intake {
  private final Jdbi jdbi;
  private final JobRepository jobs;
  private final MessageQueue queue;
  private final WorkAnnouncer announcer;
  private final RetryPolicy retryPolicy;
  private final Duration visibility;

  public Intake(Jdbi jdbi, JobRepository jobs, MessageQueue queue, WorkAnnouncer announcer,
      RetryPolicy retryPolicy, Duration visibility) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.queue = queue;
    this.announcer = announcer;
    this.retryPolicy = retryPolicy;
    this.visibility = visibility;
  }

  public UUID submit(NewJob job) {
    PipelineDefinition pipeline = job.pipeline();
    UUID jobId = jdbi.inTransaction(h -> {
      UUID id = jobs.insertJob(h, job, job.retry().orElse(pipeline.retry()).orElse(retryPolicy.settings()));
      jobs.insertStages(h, id, job, retryPolicy.settings(), visibility);
      var metadata = Json.object();
      metadata.putPOJO("payload_keys", job.payload().properties().stream().map(e -> e.getKey()).toList());
      jobs.event(h, id, pipeline.name(), job.initialStage(), "queued", "Job queued by intake", metadata);
      queue.send(h, pipeline.queue(), job.initialStage(), id, job.payload(), SendOptions.priority(job.priority()));
      return id;
    });
    announcer.announce(pipeline.queue(), job.initialStage());
    return jobId;
  }
}
