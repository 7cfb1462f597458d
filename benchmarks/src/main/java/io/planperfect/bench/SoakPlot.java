package io.planperfect.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak as an SVG drawn by hand (no charting library needed for two line charts): jobs
 * finished per second and the event handoff p99 per minute, each with its least-squares trend
 * line dashed and its slope in the title.
 */
final class SoakPlot {
  private static final int WIDTH = 820;
  private static final int PANEL = 280;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 40;

  private SoakPlot() {}

  static String svg(String title, List<SoakMinute> minutes) {
    StringBuilder svg = new StringBuilder();
    int height = 2 * (PANEL + TOP + BOTTOM) + 30;
    svg.append(String.format(Locale.ROOT, """
        <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
        <rect width="100%%" height="100%%" fill="white"/>
        <text x="%d" y="20" font-size="15" font-weight="bold">%s</text>
        """, WIDTH, height, WIDTH, height, LEFT, escape(title)));
    panel(svg, 30, "jobs finished/s", "#1f77b4", minutes, SoakMinute::jobsPerSecond, "jobs/s per minute");
    panel(svg, 30 + PANEL + TOP + BOTTOM, "handoff p99 (ms)", "#d62728", minutes, SoakMinute::p99Millis, "ms per minute");
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(StringBuilder svg, int y0, String label, String colour, List<SoakMinute> minutes,
                            ToDoubleFunction<SoakMinute> value, String slopeUnit) {
    int top = y0 + TOP;
    int bottom = top + PANEL;
    int right = WIDTH - RIGHT;
    double max = minutes.stream().mapToDouble(value).max().orElse(1);
    double yMax = niceCeiling(max <= 0 ? 1 : max * 1.1);
    int lastMinute = Math.max(1, minutes.stream().mapToInt(SoakMinute::minute).max().orElse(1));
    double slope = SoakMinute.slope(minutes, value);
    double mean = minutes.stream().mapToDouble(value).average().orElse(0);
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s — trend %+.3f %s (%+.1f%% of the mean per hour)</text>%n",
        LEFT, top - 12, escape(label), slope, slopeUnit, mean == 0 ? 0 : 100 * slope * 60 / mean));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, bottom, right, bottom));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, top, LEFT, bottom));
    for (int i = 0; i <= 4; i++) {
      double v = yMax * i / 4;
      double y = bottom - PANEL * (double) i / 4;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, right, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, number(v)));
    }
    int step = Math.max(1, lastMinute / 12);
    for (int m = 0; m <= lastMinute; m += step) {
      double x = x(m, lastMinute);
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, bottom + 16, m));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minute</text>%n",
        (LEFT + right) / 2, bottom + 32));
    StringBuilder points = new StringBuilder();
    for (SoakMinute m : minutes) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(m.minute(), lastMinute), y(value.applyAsDouble(m), yMax, bottom)));
    }
    svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
        colour, points.toString().trim()));
    for (SoakMinute m : minutes) {
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x(m.minute(), lastMinute),
          y(value.applyAsDouble(m), yMax, bottom), colour));
    }
    if (minutes.size() >= 2) {
      double meanX = minutes.stream().mapToDouble(SoakMinute::minute).average().orElse(0);
      double intercept = mean - slope * meanX;
      int first = minutes.get(0).minute();
      int last = minutes.get(minutes.size() - 1).minute();
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"6 4\"/>%n",
          x(first, lastMinute), y(intercept + slope * first, yMax, bottom), x(last, lastMinute),
          y(intercept + slope * last, yMax, bottom)));
    }
  }

  private static double x(int minute, int lastMinute) {
    return LEFT + (WIDTH - LEFT - RIGHT) * (double) minute / lastMinute;
  }

  private static double y(double value, double yMax, int bottom) {
    return bottom - PANEL * Math.max(0, value) / yMax;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code v}: round axis labels. */
  static double niceCeiling(double v) {
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= v) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
