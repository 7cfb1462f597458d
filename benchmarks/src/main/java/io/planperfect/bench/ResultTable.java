package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The harness's result as a Markdown table, each message rate also given as a ratio to pgbench TPS. */
final class ResultTable {
  private static final String HEADER = "| scenario | depth | ops/s | messages/s | p50 ms | p99 ms | errors | msg/s ÷ pgbench TPS |";
  private static final String RULE = "|---|---:|---:|---:|---:|---:|---:|---:|";

  private final Optional<PgBenchResult> pgbench;
  private final List<ScenarioResult> rows = new ArrayList<>();

  ResultTable(Optional<PgBenchResult> pgbench) {
    this.pgbench = pgbench;
  }

  void add(ScenarioResult result) {
    rows.add(result);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(PgBenchResult.summary(pgbench));
    lines.add("");
    lines.add(HEADER);
    lines.add(RULE);
    rows.forEach(r -> lines.add(row(r)));
    return lines;
  }

  private String row(ScenarioResult r) {
    return String.format("| %s | %,d | %,.0f | %,.0f | %.2f | %.2f | %d | %s |",
        r.scenario().label(), r.depth(), r.operationsPerSecond(), r.messagesPerSecond(),
        r.p50Millis(), r.p99Millis(), r.errors(), ratio(r.messagesPerSecond()));
  }

  private String ratio(double messagesPerSecond) {
    return pgbench.map(p -> String.format("%.2fx", messagesPerSecond / p.tps())).orElse("n/a");
  }
}
