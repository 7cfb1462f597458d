package io.planperfect.bench;

import java.util.function.Consumer;
import java.util.function.Function;

/** How a harness's main runs: parse the options (exit 2 on bad ones), run, exit 0 or 1. */
final class HarnessLauncher {
  private HarnessLauncher() {}

  static <T> void launch(String[] args, Function<String[], T> parse, Consumer<T> run) {
    T options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = 0;
    try {
      run.accept(options);
    } catch (RuntimeException e) {
      e.printStackTrace();
      status = 1;
    }
    // why: the embedded server's, the pool's and a node's non-daemon threads must not keep the JVM alive.
    System.exit(status);
  }
}
