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
      // why: the rows are copies of rows intake wrote and its triggers already saw (retry tuning, batch
      // counters, delivery flags). Needs a superuser, as the embedded server's is; local: the transaction's
      // end restores it.
      h.execute("set local session_replication_role = replica");
      h.execute("create temp table bench_ids on commit drop as select gen_random_uuid() as id from generate_series(1, ?)", jobs);
      for (String table : TABLES) {
        List<String> columns = h.createQuery("""
                select column_name from information_schema.columns
                 where table_schema = current_schema() and table_name = :table order by ordinal_position""")
            .bind("table", table).mapTo(String.class).list();
        String values = String.join(", ", columns.stream().map(c -> value(table, c)).toList());
        h.execute("insert into %1$s (%2$s) overriding system value select %3$s from bench_template_%1$s t cross join bench_ids n"
            .formatted(table, String.join(", ", columns), values));
      }
    });
  }

  // why column by column, not jsonb_populate_record(to_jsonb(row) || ...) as StartOverBacklogTest does: no
  // row goes through jsonb and back; with jsonb a 10,000-job step took minutes on a loaded machine.
  private static String value(String table, String column) {
    if (column.equals(key(table))) {
      return "n.id";
    }
    return switch (table + "." + column) {
      case "job_events.id" -> "gen_random_uuid()";
      case "job_events.seq", "queue_messages.msg_id" -> "nextval(pg_get_serial_sequence('%s', '%s'))".formatted(table, column);
      case "queue_messages.enqueued_at" -> "now()";
      default -> "t." + column;
    };
  }
}
