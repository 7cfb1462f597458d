package io.planperfect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The harnesses' command lines: {@code --name value} pairs, with --help and missing values answered by the usage. */
final class OptionArgs {
  private OptionArgs() {}

  static List<Map.Entry<String, String>> pairs(String[] args, String usage) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException(usage);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name + "\n" + usage);
      }
      pairs.add(Map.entry(name, args[++i]));
    }
    return pairs;
  }

  static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(name + " needs a positive whole number, got '" + value + "'");
  }

  /** A comma-separated list of positive whole numbers, e.g. {@code --clients 10,500}. */
  static List<Integer> counts(String name, String value) {
    List<Integer> counts = new ArrayList<>();
    for (String part : value.split(",")) {
      counts.add(positive(name, part.trim()));
    }
    return List.copyOf(counts);
  }
}
