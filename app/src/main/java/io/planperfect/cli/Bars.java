package io.planperfect.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars as the CLI draws them (with {@code me.tongfei:progressbar}), on standard error so
 * that standard output keeps only results. On a terminal, its width and colours; in a pipe or a log,
 * plain ASCII of a fixed width.
 */
final class Bars {
  private static final int PIPE_WIDTH = 120;
  private static final int REFRESH_MILLIS = 200;

  private Bars() {}

  static ProgressBar open(String name, long max) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(name).setInitialMax(max)
        .setUpdateIntervalMillis(REFRESH_MILLIS).hideEta().continuousUpdate();
    if (System.console() != null) {
      builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
    } else {
      PrintStream err = System.err;
      builder.setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err, PIPE_WIDTH));
    }
    return builder.build();
  }
}
