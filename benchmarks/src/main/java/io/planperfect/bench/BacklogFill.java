package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.StageFilter;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Queues benchmark jobs fast, by SQL, not counted in any rate: one job goes through a real
 * {@link io.planperfect.engine.Intake} (of a node whose loops never start), its rows (job, stages,
 * events, payload, first message) are kept in {@code bench_template_*} tables, and {@link #fill}
 * copies them under fresh ids, one statement per table, in one transaction, without firing triggers.
 */
final class BacklogFill {
  private static final List<String> TABLES = List.of("jobs", "job_stages", "job_payloads", "job_events", "queue_messages");

  private final Jdbi jdbi;

  private BacklogFill(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Stores the template job through intake and keeps its rows; the template itself is then deleted. */
  static BacklogFill prepare(Jdbi jdbi, Settings settings, PipelineRegistry pipelines) {
    UUID template;
    NodeOptions idle = new NodeOptions(new StageFilter(Set.of("none"), Set.of()), false, StageLimits.none());
    try (PlanPerfectNode node = PlanPerfectNode.open(settings, pipelines, idle)) {
      template = new PipelineLoad(node.intake(), pipelines.all().get(0), jdbi).submit(0);
    }
    jdbi.useTransaction(h -> {
      for (String table : TABLES) {
        h.execute("drop table if exists bench_template_" + table);
        h.execute("create table bench_template_" + table + " as select * from " + table + " where " + key(table) + " = ?",
            template);
      }
      for (String table : List.of("queue_messages", "job_events", "job_payloads", "job_stages", "jobs")) {
        h.execute("delete from " + table + " where " + key(table) + " = ?", template);
      }
    });
    return new BacklogFill(jdbi);
  }

  private static String key(String table) {
    return table.equals("jobs") ? "id" : "job_id";
  }

  /** Queues {@code jobs} more jobs at the first stage, committed at once. */
  void fill(int jobs) {
    jdbi.useTransaction(h -> {
      // why: the rows are copies of rows intake wrote and its triggers already saw; with the triggers
      // (retry tuning, batch counters, delivery flags) a 10,000-job fill took minutes on a loaded machine.
      // Needs a superuser, as the embedded server's is; local: the transaction's end restores it.
      h.execute("set local session_replication_role = replica");
      h.execute("create temp table bench_ids on commit drop as select gen_random_uuid() as id from generate_series(1, ?)", jobs);
      h.execute("""
          insert into jobs select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', n.id))).*
            from bench_template_jobs j cross join bench_ids n""");
      for (String table : List.of("job_stages", "job_payloads")) {
        h.execute("""
            insert into %1$s select (jsonb_populate_record(null::%1$s, to_jsonb(s) || jsonb_build_object('job_id', n.id))).*
              from bench_template_%1$s s cross join bench_ids n""".formatted(table));
      }
      h.execute("""
          insert into job_events overriding system value
          select (jsonb_populate_record(null::job_events, to_jsonb(e) || jsonb_build_object('id', gen_random_uuid(),
                  'job_id', n.id, 'seq', nextval(pg_get_serial_sequence('job_events', 'seq'))))).*
            from bench_template_job_events e cross join bench_ids n""");
      h.execute("""
          insert into queue_messages overriding system value
          select (jsonb_populate_record(null::queue_messages, to_jsonb(m) || jsonb_build_object('job_id', n.id,
                  'msg_id', nextval(pg_get_serial_sequence('queue_messages', 'msg_id')), 'enqueued_at', now()))).*
            from bench_template_queue_messages m cross join bench_ids n""");
    });
  }
}
