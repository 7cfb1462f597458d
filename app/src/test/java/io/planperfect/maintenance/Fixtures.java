package io.planperfect.maintenance;

import io.planperfect.scheduler.RunContext;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Rows for the maintenance tests, written with plain SQL and backdated with the database clock. */
final class Fixtures {
  private Fixtures() {}

  static RunContext scheduled(String job) {
    return new RunContext(1, job, RunContext.SCHEDULED, Instant.now());
  }

  static RunContext manual(String job) {
    return new RunContext(2, job, RunContext.MANUAL, null);
  }

  static UUID job(String pipeline, String status) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            insert into jobs (pipeline, job_type, status) values (:pipeline, 'article', :status) returning id""")
        .bind("pipeline", pipeline).bind("status", status).mapTo(UUID.class).one());
  }

  /** A completed stage run of a new job that took {@code runtime} and finished {@code ago}, with its 'completed' event. */
  static UUID completedRun(String pipeline, String stage, Duration runtime, Duration ago) {
    UUID job = job(pipeline, "completed");
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("""
            insert into job_stages (job_id, stage, pipeline, position, status, attempt_count, started_at, finished_at)
            values (:job, :stage, :pipeline, 0, 'completed', 1,
                    now() - make_interval(secs => :ago) - make_interval(secs => :runtime),
                    now() - make_interval(secs => :ago))""")
        .bind("job", job).bind("stage", stage).bind("pipeline", pipeline)
        .bind("ago", seconds(ago)).bind("runtime", seconds(runtime)).execute());
    event(job, pipeline, stage, "completed", ago);
    return job;
  }

  static void event(UUID job, String pipeline, String stage, String type, Duration ago) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("""
            insert into job_events (job_id, pipeline, stage, event_type, message, created_at)
            values (:job, :pipeline, :stage, :type, 'fixture', now() - make_interval(secs => :ago))""")
        .bind("job", job).bind("pipeline", pipeline).bind("stage", stage).bind("type", type)
        .bind("ago", seconds(ago)).execute());
  }

  /** {@code count} failed attempts ('error' events) of a stage, {@code ago}. */
  static void errors(String pipeline, String stage, int count, Duration ago) {
    UUID job = job(pipeline, "processing");
    for (int i = 0; i < count; i++) {
      event(job, pipeline, stage, "error", ago);
    }
  }

  /** A message visible since {@code readyFor} ago (enqueued at that moment). */
  static long ready(String queue, String stage, Duration readyFor) {
    return message(queue, stage, readyFor, readyFor.negated(), false);
  }

  /** A message held by a worker for another {@code remaining}. */
  static long inFlight(String queue, String stage, Duration remaining) {
    return message(queue, stage, Duration.ofSeconds(1), remaining, true);
  }

  /** A message enqueued {@code enqueuedAgo} that becomes visible in {@code visibleIn}. */
  static long delayed(String queue, String stage, Duration enqueuedAgo, Duration visibleIn) {
    return message(queue, stage, enqueuedAgo, visibleIn, false);
  }

  private static long message(String queue, String stage, Duration enqueuedAgo, Duration vtFromNow, boolean leased) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            insert into queue_messages (queue_name, stage, enqueued_at, vt, lease, read_ct, message)
            values (:queue, :stage, now() - make_interval(secs => :enqueuedAgo), now() + make_interval(secs => :vt),
                    case when :leased then gen_random_uuid() end, case when :leased then 1 else 0 end, '{}'::jsonb)
            returning msg_id""")
        .bind("queue", queue).bind("stage", stage).bind("enqueuedAgo", seconds(enqueuedAgo))
        .bind("vt", seconds(vtFromNow)).bind("leased", leased).mapTo(Long.class).one());
  }

  /** Open dead letters of a queue, routed {@code ago}. */
  static void deadLetters(String queue, int count, Duration ago) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("""
            insert into dead_letters (pipeline, queue_name, stage, payload, failure_reason, routed_at)
            select :queue, :queue, 'draft', '{}'::jsonb, 'Max retry attempts exceeded', now() - make_interval(secs => :ago)
              from generate_series(1, :count)""")
        .bind("queue", queue).bind("count", count).bind("ago", seconds(ago)).execute());
  }

  static void sql(String sql, Object... args) {
    TestDatabase.jdbi().useHandle(h -> {
      var update = h.createUpdate(sql);
      for (int i = 0; i < args.length; i++) {
        update.bind(i, args[i]);
      }
      update.execute();
    });
  }

  static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
