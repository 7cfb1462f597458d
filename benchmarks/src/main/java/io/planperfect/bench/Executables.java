package io.planperfect.bench;

import java.io.File;
import java.util.Optional;
import java.util.stream.Stream;

/** Programs the harnesses run beside the node (pgbench, wrk), found on PATH. */
final class Executables {
  private Executables() {}

  /** The first executable file {@code name} in a directory of PATH, or empty when none is installed. */
  static Optional<File> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .map(dir -> new File(dir, name))
        .filter(File::canExecute)
        .findFirst();
  }
}
