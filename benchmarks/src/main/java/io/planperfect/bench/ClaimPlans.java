package io.planperfect.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The plans of the statements inside one claim ({@code claim_stage_attempts}), with their times:
 * auto_explain logs every nested statement at LOG, client_min_messages sends those to the client,
 * and the transaction is rolled back, so the claim takes nothing. Needs a superuser (LOAD).
 */
final class ClaimPlans {
  private ClaimPlans() {}

  static List<String> of(Jdbi jdbi, String stage) {
    return jdbi.withHandle(h -> {
      Connection connection = h.getConnection();
      List<String> lines = new ArrayList<>();
      try {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
          statement.execute("load 'auto_explain'");
          statement.execute("set local auto_explain.log_min_duration = 0");
          statement.execute("set local auto_explain.log_nested_statements = on");
          statement.execute("set local auto_explain.log_analyze = on");
          statement.execute("set local auto_explain.log_buffers = on");
          statement.execute("set local client_min_messages = log");
          statement.clearWarnings();
          statement.execute("select * from claim_stage_attempts('" + BenchPipeline.QUEUE + "', '" + stage
              + "', 30, 1, null, false, 3, 60, false)");
          for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
            lines.addAll(List.of(w.getMessage().split("\n")));
          }
        } finally {
          connection.rollback();
          connection.setAutoCommit(autoCommit);
        }
      } catch (SQLException e) {
        lines.add("could not explain the claim: " + e.getMessage());
      }
      return lines;
    });
  }

  /**
   * EXPLAIN ANALYZE of the claim's head read as {@code claim_stage_attempts} writes it for one priority
   * level (R__stage_claims.sql, aging on): the ready messages of a stage in msg_id order, 8 at most.
   * In a rolled-back transaction, so nothing stays locked.
   */
  static List<String> headPlan(Jdbi jdbi, String stage) {
    return jdbi.inTransaction(h -> {
      List<String> plan = h.createQuery("""
              explain (analyze, buffers, costs off)
              select q.msg_id, q.priority, q.enqueued_at from queue_messages q
               where q.queue_name = :queue and q.stage = :stage and q.priority = 0 and q.vt <= now()
               order by q.msg_id limit 8 for update skip locked""")
          .bind("queue", BenchPipeline.QUEUE).bind("stage", stage).mapTo(String.class).list();
      h.rollback();
      return plan;
    });
  }
}
