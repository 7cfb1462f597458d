package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The scale-out harness's result as a Markdown table: rates beside pgbench and beside one node, CPU by side. */
final class ScaleTable {
  private static final String HEADER = "| nodes | stage transitions/s | ÷ pgbench TPS | ÷ 1 node | jobs/s | node CPU (cores) "
      + "| database CPU (cores) | machine busy | load avg | waiting after |";
  private static final String RULE = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  private final Optional<PgBenchResult> pgbench;
  private final List<ScaleResult> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  ScaleTable(Optional<PgBenchResult> pgbench) {
    this.pgbench = pgbench;
  }

  void add(ScaleResult result) {
    rows.add(result);
  }

  void notMeasured(int nodes, String why) {
    notes.add("- " + nodes + " node" + (nodes == 1 ? "" : "s") + ": not measured: " + why);
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add(PgBenchResult.summary(pgbench));
    lines.add("");
    lines.add(HEADER);
    lines.add(RULE);
    rows.forEach(r -> lines.add(row(r)));
    if (!notes.isEmpty()) {
      lines.add("");
      lines.addAll(notes);
    }
    if (rows.stream().anyMatch(r -> r.waitingAfter() == 0)) {
      lines.add("");
      lines.add("NOTE: a row with 0 waiting after ran out of backlog: its rate is a lower bound (raise --backlog-jobs)");
    }
    return lines;
  }

  private String row(ScaleResult r) {
    double single = rows.stream().filter(x -> x.nodes() == 1).mapToDouble(ScaleResult::transitionsPerSecond).findFirst().orElse(Double.NaN);
    return String.format("| %d | %,.0f | %s | %s | %,.0f | %.2f | %s | %.0f%% | %s | %,d |",
        r.nodes(), r.transitionsPerSecond(),
        pgbench.map(p -> String.format("%.2fx", r.transitionsPerSecond() / p.tps())).orElse("n/a"),
        Double.isNaN(single) ? "n/a" : String.format("%.2fx", r.transitionsPerSecond() / single),
        r.transitionsPerSecond() / BenchPipeline.STAGES.size(),
        r.usage().nodeCores(), r.usage().databaseCores().map(c -> String.format("%.2f", c)).orElse("n/a"),
        r.usage().machineBusy() * 100, r.loadAverage(), r.waitingAfter());
  }
}
