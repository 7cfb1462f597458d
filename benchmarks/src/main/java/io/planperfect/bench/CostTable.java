package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The cost harness's report: one summary row per operation, then each operation's tables, statements and CPU. */
final class CostTable {
  private final int top;
  private final List<DatabaseCost.Cost> costs = new ArrayList<>();
  private final List<Optional<CpuProfile.Summary>> cpu = new ArrayList<>();

  CostTable(int top) {
    this.top = top;
  }

  void add(DatabaseCost.Cost cost) {
    costs.add(cost);
    cpu.add(Optional.empty());
  }

  void add(DatabaseCost.Cost cost, CpuProfile.Summary summary) {
    costs.add(cost);
    cpu.add(Optional.of(summary));
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("Per operation (PostgreSQL's counters before and after, divided by the operations):");
    lines.add(String.format("%-24s %7s %7s %7s %8s %8s %8s %8s %8s %9s", "operation", "stmts", "trips", "commits",
        "rows", "idx ent", "upd/HOT", "WAL rec", "WAL FPI", "WAL bytes"));
    for (DatabaseCost.Cost c : costs) {
      boolean pgbench = c.name().startsWith("pgbench");
      lines.add(String.format("%-24s %7.2f %7.2f %7.2f %8.2f %8.2f %8s %8.2f %8.2f %9.0f", c.name(), c.per(c.statementCount()),
          c.per(c.roundTrips(pgbench)), c.per(c.commits()), c.per(c.rowsWritten()), c.per(c.indexEntries()),
          String.format("%.1f/%.1f", c.per(c.updated()), c.per(c.hotUpdated())), c.per(c.walRecords()), c.per(c.walFpi()),
          c.per(c.walBytes())));
    }
    lines.add("stmts: top-level statements, BEGIN/COMMIT not counted (pg_stat_statements); trips: client round trips ="
        + " stmts + one COMMIT per explicit transaction (pgjdbc sends BEGIN with the next statement; pgbench's script sends"
        + " BEGIN and END alone; a JDBC batch, like intake's six job_stages rows, counts once per row here but travels in"
        + " one round trip); commits: transactions committed (pg_stat_database), autocommit statements included;"
        + " rows: rows inserted, updated or deleted; idx ent: index entries written = full indexes x (inserts + non-HOT"
        + " updates), partial indexes (idx '2+2p') not counted;"
        + " upd/HOT: rows updated / of which HOT; WAL: pg_stat_wal (records, full-page images, bytes)");
    for (int i = 0; i < costs.size(); i++) {
      lines.add("");
      lines.addAll(detail(costs.get(i), cpu.get(i)));
    }
    return lines;
  }

  private List<String> detail(DatabaseCost.Cost c, Optional<CpuProfile.Summary> summary) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("== %s (%,d operations)", c.name(), c.operations()));
    lines.add(String.format("  %-26s %6s %8s %8s %8s %8s %8s", "table", "idx", "ins", "upd", "HOT", "del", "idx ent"));
    for (DatabaseCost.TableWrites t : c.tables()) {
      String indexes = t.indexes() + (t.partialIndexes() > 0 ? "+" + t.partialIndexes() + "p" : "");
      lines.add(String.format("  %-26s %6s %8.2f %8.2f %8.2f %8.2f %8.2f", t.table(), indexes, c.per(t.inserted()),
          c.per(t.updated()), c.per(t.hotUpdated()), c.per(t.deleted()), c.per(t.indexEntries())));
    }
    lines.add(String.format("  %8s %8s %9s  %s", "calls/op", "rows/op", "WAL B/op", "statement (top level)"));
    c.statements().stream().limit(top).forEach(s -> lines.add(String.format("  %8.2f %8.2f %9.0f  %s", c.per(s.calls()),
        c.per(s.rows()), c.per(s.walBytes()), abbreviate(s.query(), 110))));
    summary.ifPresent(cpu -> {
      lines.add(String.format("  JVM CPU (%,d JFR execution samples of the node's threads):", cpu.samples()));
      lines.add("    by the top frame's library: " + String.join(", ", cpu.byLibrary().stream()
          .map(s -> String.format("%s %.0f%%", s.name(), s.percent())).toList()));
      lines.add("    by the top frame (where the CPU is, self time):");
      cpu.byTopMethod().forEach(s -> lines.add(String.format("      %5.1f%%  %s", s.percent(), s.name())));
      lines.add("    by the first PlanPerfect frame (callees included):");
      cpu.byOurMethod().forEach(s -> lines.add(String.format("      %5.1f%%  %s", s.percent(), s.name())));
    });
    return lines;
  }

  static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
