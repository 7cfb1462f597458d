package io.planperfect.testing;

import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jdbi.v3.core.Jdbi;

/**
 * One real PostgreSQL for the whole test JVM, migrated with the application's own migrations
 * and emptied between tests. No database is ever mocked. With
 * {@code -Dplanperfect.test.upgradedDatabase=true} the database is first migrated with the last
 * release's migrations ({@link ReleasedSchema}), so the same tests run on an upgraded database
 * (the build's upgraded-database run does this for the core tests).
 */
public final class TestDatabase {
  private static EmbeddedPostgres postgres;
  private static Database database;

  private TestDatabase() {}

  public static synchronized Database get() {
    if (database == null) {
      try {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the test PostgreSQL", e);
      }
      DatabaseAddress address = addressOf("postgres");
      if (Boolean.getBoolean(ReleasedSchema.UPGRADED_DATABASE_PROPERTY)) {
        ReleasedSchema.migrate(address);
      }
      database = Database.connect(address, 16);
      database.migrate();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop));
    }
    return database;
  }

  public static DatabaseAddress address() {
    get();
    return addressOf("postgres");
  }

  /** A new, empty database on the same server (dropped first if a test left one of that name). */
  public static DatabaseAddress newDatabase(String name) {
    jdbi().useHandle(h -> {
      h.execute("drop database if exists " + name + " with (force)");
      h.execute("create database " + name);
    });
    return addressOf(name);
  }

  private static DatabaseAddress addressOf(String name) {
    return new DatabaseAddress(postgres.getJdbcUrl("postgres", name), "postgres", "postgres");
  }

  public static Jdbi jdbi() {
    return get().jdbi();
  }

  /** Empties every table the tests write and restores the seeded stage config and scheduler jobs, so each test starts from nothing. */
  public static void clean() {
    for (int attempt = 1; ; attempt++) {
      try {
        jdbi().useHandle(h -> h.execute("""
            truncate jobs, job_stages, job_payloads, job_events, dead_letters, queue_messages, queue_archive, stage_slots, change_feed_listeners, generation_batches, callback_deliveries, idempotency_keys cascade;
            delete from content_stage_config where (queue, stage) not in (
              ('content', 'research'), ('content', 'outline'), ('content', 'draft'), ('content', 'qa'),
              ('content', 'export'), ('content', 'complete'), ('schema', 'research'), ('schema', 'generate'),
              ('schema', 'validate'), ('schema', 'complete'), ('pageperfect', 'submit_crawl'),
              ('pageperfect', 'wait_crawl'), ('pageperfect', 'segment_embed'), ('pageperfect', 'keyword_clustering'),
              ('pageperfect', 'gap_analysis'), ('pageperfect', 'rewrite_draft'), ('generation', 'validation'),
              ('generation', 'context-building'), ('generation', 'component-generation'), ('generation', 'template-assembly'),
              ('generation', 'quality-validation'), ('generation', 'post-processing'), ('generation', 'storage'));
            update content_stage_config set max_concurrency = 10, trigger_batch_size = 1, enabled = true, worker_endpoint = null;
            update content_stage_config set max_attempts = null, retry_delay_seconds = null;
            update content_stage_config set llm_provider = null, llm_model = null, qa_policy = null
             where llm_provider is not null or llm_model is not null or qa_policy is not null;
            truncate llm_calls, llm_admissions, llm_limits;
            update queues set removed_count = 0, priority_aging_seconds = 300;
            truncate job_runs, sweeper_logs, monitoring_alerts, health_checks, metrics_data, cleanup_logs, cluster_nodes;
            delete from scheduler_jobs;
            select count(*) from initialize_scheduler();
            """));
        return;
      } catch (RuntimeException e) {
        // why: TRUNCATE locks tables in one order while a running node's claim and ack lock them
        // in others; a deadlock here is the test's own doing, so it simply tries again.
        if (attempt == 5 || !String.valueOf(e.getMessage()).contains("deadlock")) {
          throw e;
        }
      }
    }
  }

  public static long count(String sql, Object... args) {
    return jdbi().withHandle(h -> {
      var query = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        query.bind(i, args[i]);
      }
      return query.mapTo(Long.class).one();
    });
  }

  private static void stop() {
    try {
      database.close();
      postgres.close();
    } catch (IOException e) {
      // the JVM is exiting; nothing more to do
    }
  }
}
