package io.planperfect.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./bench all}'s last step: reads the outputs the harnesses printed in one run (queue.txt,
 * pipeline.txt, intake.txt, backlog.txt in the given directory) and prints one table, each figure beside its
 * target from issue 20. A harness that did not run, or printed no such row, reads "not measured".
 */
public final class BenchSummary {
  private static final Pattern QUEUE_ROW =
      Pattern.compile("^\\| (.+?) \\| ([0-9,]+) \\| [0-9,.]+ \\| [0-9,.]+ \\| [0-9.]+ \\| [0-9.]+ \\| \\d+ \\| ([0-9.]+)x \\|$");
  private static final Pattern PIPELINE_ROW = Pattern.compile("^\\| (heavy[^|]*) \\|(?: [^|]+ \\|){10} ([0-9.]+)x \\|$");
  private static final Pattern HANDLER_ROW =
      Pattern.compile("^\\| (paced[^|]*) \\| [0-9,]+ \\| ([0-9.]+) \\| ([0-9.]+) \\| [0-9.]+ \\|$");
  private static final Pattern BACKLOG_RATIO = Pattern.compile("^(deep.*) ÷ shallow: ([0-9.]+) .*$");
  private static final Pattern BACKLOG_RSS =
      Pattern.compile("^RSS after the warm-up: min ([0-9]+) MiB, max ([0-9]+) MiB over \\d+ samples$");
  private static final Pattern INTAKE_ROW = Pattern.compile(
      "^(\\d+)\\s+(running|paused)\\s+([0-9,]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+[0-9.]+\\s+\\d+\\s+([0-9,]+)\\s+[0-9,]+\\s+-?[0-9,]+\\s+(\\S+)$");

  record Line(String figure, String measured, String target, String verdict) {}

  private BenchSummary() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/bench-all");
    List<Line> lines = new ArrayList<>();
    lines.addAll(queue(read(dir.resolve("queue.txt"))));
    lines.addAll(pipeline(read(dir.resolve("pipeline.txt"))));
    lines.addAll(intake(read(dir.resolve("intake.txt"))));
    lines.addAll(backlog(read(dir.resolve("backlog.txt"))));
    System.out.println("| figure (issue 20) | measured | target | verdict |");
    System.out.println("|---|---:|---|---|");
    lines.forEach(l -> System.out.printf("| %s | %s | %s | %s |%n", l.figure(), l.measured(), l.target(), l.verdict()));
  }

  static List<Line> queue(List<String> output) {
    List<Line> lines = new ArrayList<>();
    for (String row : output) {
      Matcher m = QUEUE_ROW.matcher(row.trim());
      if (!m.matches()) {
        continue;
      }
      double ratio = Double.parseDouble(m.group(3));
      String label = m.group(1) + " at depth " + m.group(2) + " (msg/s ÷ pgbench TPS)";
      switch (m.group(1)) {
        case "send" -> lines.add(ratioLine(label, ratio, 2.0));
        case "claim+archive (1 tx)" -> lines.add(ratioLine(label, ratio, 1.0));
        case "claim 10 + archive 10" -> lines.add(ratioLine(label, ratio, 3.0));
        default -> { }
      }
    }
    return orNotMeasured(lines, "queue operations (./bench)");
  }

  static List<Line> pipeline(List<String> output) {
    List<Line> lines = new ArrayList<>();
    for (String row : output) {
      Matcher heavy = PIPELINE_ROW.matcher(row.trim());
      if (heavy.matches()) {
        lines.add(ratioLine("stage transitions at overload, " + heavy.group(1) + " (÷ pgbench TPS)",
            Double.parseDouble(heavy.group(2)), 1.0));
      }
      Matcher paced = HANDLER_ROW.matcher(row.trim());
      if (paced.matches()) {
        double p50 = Double.parseDouble(paced.group(2));
        double p99 = Double.parseDouble(paced.group(3));
        lines.add(new Line("handoff at 80% of capacity, " + paced.group(1) + ", handler p50 / p99 ms",
            String.format("%.2f / %.2f", p50, p99),
            String.format("< %.0f / < %.0f", PipelineTable.HANDOFF_P50_TARGET_MILLIS, PipelineTable.HANDOFF_P99_TARGET_MILLIS),
            verdict(p50 < PipelineTable.HANDOFF_P50_TARGET_MILLIS && p99 < PipelineTable.HANDOFF_P99_TARGET_MILLIS)));
      }
    }
    return orNotMeasured(lines, "pipeline (./bench pipeline)");
  }

  static List<Line> intake(List<String> output) {
    List<Line> lines = new ArrayList<>();
    for (String row : output) {
      Matcher m = INTAKE_ROW.matcher(row.trim());
      if (!m.matches()) {
        continue;
      }
      double rate = number(m.group(3));
      double p99 = Double.parseDouble(m.group(5));
      boolean running = m.group(2).equals("running");
      lines.add(new Line("intake, " + m.group(1) + " connections, stages " + m.group(2)
          + ": req/s, p99 ms (÷ pgbench TPS; jobs done/s)",
          String.format("%,.0f, %.2f (%s; %s)", rate, p99, m.group(7), m.group(6)), ">= 3,000 req/s, p99 < 20 ms",
          running ? verdict(rate >= 3_000 && p99 < 20) : "(intake alone: not the target's condition)"));
    }
    return orNotMeasured(lines, "intake (./bench intake)");
  }

  static List<Line> backlog(List<String> output) {
    List<Line> lines = new ArrayList<>();
    for (String row : output) {
      Matcher ratio = BACKLOG_RATIO.matcher(row.trim());
      if (ratio.matches()) {
        double r = Double.parseDouble(ratio.group(2));
        lines.add(new Line("stage completions/s, " + ratio.group(1) + ", ÷ with a shallow queue", String.format("%.2f", r),
            ">= 0.80", verdict(r >= 0.8)));
      }
      Matcher rss = BACKLOG_RSS.matcher(row.trim());
      if (rss.matches()) {
        lines.add(new Line("node RSS from 0 to 100,000 queued and draining, min / max MiB",
            rss.group(1) + " / " + rss.group(2), "flat", "see BENCHMARKS.md"));
      }
    }
    return orNotMeasured(lines, "deep backlog (./bench backlog)");
  }

  private static Line ratioLine(String figure, double ratio, double target) {
    return new Line(figure, String.format("%.2fx", ratio), String.format(">= %.1fx", target), verdict(ratio >= target));
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static List<Line> orNotMeasured(List<Line> lines, String what) {
    return lines.isEmpty() ? List.of(new Line(what, "not measured", "", "")) : lines;
  }

  private static double number(String text) {
    return Double.parseDouble(text.replace(",", ""));
  }

  private static List<String> read(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }
}
