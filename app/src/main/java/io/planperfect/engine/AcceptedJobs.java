package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.RetrySettings;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.Outgoing;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.SendOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Writes checked jobs, any number and any pipelines, queued at once: their job rows, stage rows,
 * events (skipped stages, then "queued") and first messages, one statement per table (arrays
 * unnested) whatever their number, in the caller's transaction. A batch ({@link BatchIntake}) and a
 * group of concurrent single intakes ({@link IntakeGroupCommit}) both write through here.
 */
final class AcceptedJobs {
  private final MessageQueue queue;
  private final RetryPolicy retryPolicy;
  private final QueueVisibility visibility;
  private final boolean mailRequesters;

  /** A job its pipeline's intake rules passed, with its start stage set, and the stages it passes over. */
  record AcceptedJob(NewJob job, List<String> skipped) {}

  /** {@code mailRequesters}: as {@link Intake}'s, a job with a requester_email mails it when it ends. */
  AcceptedJobs(MessageQueue queue, RetryPolicy retryPolicy, QueueVisibility visibility, boolean mailRequesters) {
    this.queue = queue;
    this.retryPolicy = retryPolicy;
    this.visibility = visibility;
    this.mailRequesters = mailRequesters;
  }

  /**
   * Writes the jobs under the ids given (same order), in batch {@code batchId} (null: none), their queued
   * events saying {@code queuedMessage}, and runs each pipeline's {@code accepted} hook. Returns the
   * "queue\nstage" pairs that got first messages, to announce after the commit.
   */
  Set<String> insert(Handle h, UUID batchId, List<UUID> ids, List<AcceptedJob> accepted, String queuedMessage) {
    List<NewJob> jobs = accepted.stream().map(AcceptedJob::job).toList();
    insertJobs(h, batchId, ids, jobs);
    insertStages(h, ids, jobs);
    // why before the events: a hook may add to the payload (PagePerfect's page_id), and the queued event's
    // payload_keys and the first message carry the payload as the hook left it, as a single intake's do
    for (int i = 0; i < jobs.size(); i++) {
      jobs.get(i).pipeline().intake().accepted(h, ids.get(i), jobs.get(i).payload());
    }
    Set<String> announce = new LinkedHashSet<>();
    sendFirstMessages(h, ids, jobs, announce);
    // why the events last: their sequence numbers are taken here, and the change feed waits at a number
    // taken and not yet committed; the fewer statements between the two, the shorter every stream waits
    insertEvents(h, ids, jobs, accepted.stream().map(AcceptedJob::skipped).toList(), queuedMessage);
    return announce;
  }

  private void insertJobs(Handle h, UUID batchId, List<UUID> ids, List<NewJob> jobs) {
    int n = jobs.size();
    String[] pipelines = new String[n];
    String[] types = new String[n];
    String[] emails = new String[n];
    String[] payloads = new String[n];
    String[] stages = new String[n];
    Integer[] priorities = new Integer[n];
    Integer[] maxAttempts = new Integer[n];
    Integer[] retryDelays = new Integer[n];
    Integer[] requestedMax = new Integer[n];
    Integer[] requestedDelay = new Integer[n];
    String[] callbacks = new String[n];
    Boolean[] mail = new Boolean[n];
    for (int i = 0; i < n; i++) {
      NewJob job = jobs.get(i);
      RetrySettings settings = job.retry().orElse(job.pipeline().retry()).orElse(retryPolicy.settings());
      pipelines[i] = job.pipeline().name();
      types[i] = job.jobType();
      emails[i] = job.requesterEmail();
      payloads[i] = Json.write(job.payload());
      stages[i] = job.initialStage();
      priorities[i] = job.priority();
      maxAttempts[i] = settings.maxAttempts();
      retryDelays[i] = settings.retryDelaySeconds();
      requestedMax[i] = job.maxAttempts();
      requestedDelay[i] = job.retryDelaySeconds();
      callbacks[i] = job.callbackUrl();
      mail[i] = mailRequesters && job.requesterEmail() != null;
    }
    h.createUpdate("""
            insert into jobs (id, pipeline, job_type, requester_email, payload, status, stage, priority, max_attempts,
                              retry_delay_seconds, requested_max_attempts, requested_retry_delay_seconds,
                              first_queued_at, last_queued_at, batch_id, callback_url, mail_requester)
            select r.id, r.pipeline, r.job_type, r.email, r.payload, 'queued', r.stage, r.priority, r.max_attempts,
                   r.retry_delay, r.requested_max, r.requested_delay, now(), now(), cast(:batch as uuid), r.callback_url, r.mail
              from unnest(:ids, :pipelines, :types, :emails, cast(:payloads as jsonb[]), :stages, :priorities,
                          :maxAttempts, :retryDelays, :requestedMax, :requestedDelay, :callbacks, :mail)
                   as r(id, pipeline, job_type, email, payload, stage, priority, max_attempts, retry_delay,
                        requested_max, requested_delay, callback_url, mail)""")
        .bind("batch", batchId).bind("ids", ids.toArray(UUID[]::new)).bind("pipelines", pipelines).bind("types", types)
        .bind("emails", emails).bind("payloads", payloads).bind("stages", stages).bind("priorities", priorities)
        .bind("maxAttempts", maxAttempts).bind("retryDelays", retryDelays).bind("requestedMax", requestedMax)
        .bind("requestedDelay", requestedDelay).bind("callbacks", callbacks).bind("mail", mail).execute();
  }

  /**
   * Every stage row of every job, resolved as JobRepository.insertStages resolves one job's (the
   * job's own values, the config row, the code's defaults), the job's values taken from the request
   * rather than joined back from the rows just inserted.
   */
  private void insertStages(Handle h, List<UUID> ids, List<NewJob> jobs) {
    List<UUID> jobIds = new ArrayList<>();
    List<String> stages = new ArrayList<>();
    List<String> pipelines = new ArrayList<>();
    List<String> queues = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    List<Integer> priorities = new ArrayList<>();
    List<Integer> defaultMax = new ArrayList<>();
    List<Integer> defaultDelay = new ArrayList<>();
    List<Integer> visibilities = new ArrayList<>();
    List<Integer> requestedMax = new ArrayList<>();
    List<Integer> requestedDelay = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      PipelineDefinition pipeline = job.pipeline();
      List<String> names = pipeline.stageNames();
      int initial = names.indexOf(job.initialStage());
      int seconds = (int) visibility.forQueue(pipeline.queue()).toSeconds();
      for (int position = 0; position < names.size(); position++) {
        RetrySettings defaults = pipeline.retryFor(names.get(position)).orElse(retryPolicy.settings());
        jobIds.add(ids.get(i));
        stages.add(names.get(position));
        pipelines.add(pipeline.name());
        queues.add(pipeline.queue());
        positions.add(position);
        statuses.add(position < initial ? "skipped" : position == initial ? "queued" : "pending");
        priorities.add(job.priority());
        defaultMax.add(defaults.maxAttempts());
        defaultDelay.add(defaults.retryDelaySeconds());
        visibilities.add(seconds);
        requestedMax.add(job.maxAttempts());
        requestedDelay.add(job.retryDelaySeconds());
      }
    }
    h.createUpdate("""
            insert into job_stages (job_id, stage, pipeline, position, status, max_attempts, priority,
                                    retry_delay_seconds, visibility_timeout_seconds, last_queued_at)
            select s.job_id, s.stage, s.pipeline, s.position, s.status,
                   coalesce(s.requested_max, c.max_attempts, s.default_max), s.priority,
                   coalesce(s.requested_delay, c.retry_delay_seconds, s.default_delay), s.visibility,
                   case when s.status = 'queued' then now() end
              from unnest(:jobIds, :stages, :pipelines, :queues, :positions, :statuses, :priorities, :defaultMax,
                          :defaultDelay, :visibilities, :requestedMax, :requestedDelay)
                   as s(job_id, stage, pipeline, queue, position, status, priority, default_max, default_delay, visibility,
                        requested_max, requested_delay)
              left join content_stage_config c on c.queue = s.queue and c.stage = s.stage""")
        .bind("jobIds", jobIds.toArray(UUID[]::new)).bind("stages", stages.toArray(String[]::new))
        .bind("pipelines", pipelines.toArray(String[]::new)).bind("queues", queues.toArray(String[]::new))
        .bind("positions", positions.toArray(Integer[]::new)).bind("statuses", statuses.toArray(String[]::new))
        .bind("priorities", priorities.toArray(Integer[]::new)).bind("defaultMax", defaultMax.toArray(Integer[]::new))
        .bind("defaultDelay", defaultDelay.toArray(Integer[]::new))
        .bind("visibilities", visibilities.toArray(Integer[]::new))
        .bind("requestedMax", requestedMax.toArray(Integer[]::new))
        .bind("requestedDelay", requestedDelay.toArray(Integer[]::new)).execute();
  }

  /** The skipped events of the stages each job passes over, then its queued event (as {@link Intake} writes them). */
  private static void insertEvents(Handle h, List<UUID> ids, List<NewJob> jobs, List<List<String>> skipped,
      String queuedMessage) {
    List<UUID> jobIds = new ArrayList<>();
    List<String> pipelines = new ArrayList<>();
    List<String> stages = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    List<String> metadata = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      for (String stage : skipped.get(i)) {
        jobIds.add(ids.get(i));
        pipelines.add(job.pipeline().name());
        stages.add(stage);
        types.add("skipped");
        messages.add("Stage " + stage + " skipped");
        metadata.add(null);
      }
      ObjectNode meta = Json.object();
      meta.putPOJO("payload_keys", job.payload().properties().stream().map(Map.Entry::getKey).toList());
      jobIds.add(ids.get(i));
      pipelines.add(job.pipeline().name());
      stages.add(job.initialStage());
      types.add("queued");
      messages.add(queuedMessage);
      metadata.add(Json.write(meta));
    }
    h.createUpdate("""
            insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
            select e.job_id, e.pipeline, e.stage, e.event_type, e.message, e.metadata
              from unnest(:jobIds, :pipelines, :stages, :types, :messages, cast(:metadata as jsonb[]))
                   with ordinality as e(job_id, pipeline, stage, event_type, message, metadata, n)
             order by e.n""")
        .bind("jobIds", jobIds.toArray(UUID[]::new)).bind("pipelines", pipelines.toArray(String[]::new))
        .bind("stages", stages.toArray(String[]::new)).bind("types", types.toArray(String[]::new))
        .bind("messages", messages.toArray(String[]::new)).bind("metadata", metadata.toArray(String[]::new)).execute();
  }

  private void sendFirstMessages(Handle h, List<UUID> ids, List<NewJob> jobs, Set<String> announce) {
    Map<String, List<Outgoing>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      byQueue.computeIfAbsent(job.pipeline().queue(), q -> new ArrayList<>())
          .add(new Outgoing(job.initialStage(), ids.get(i), job.payload(), SendOptions.priority(job.priority())));
      announce.add(job.pipeline().queue() + "\n" + job.initialStage());
    }
    byQueue.forEach((name, messages) -> queue.sendBatch(h, name, messages));
  }
}
