package io.planperfect.dispatch;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * This node's environment overrides of max_concurrency: {@code CONTENT_STAGE_<STAGE>_MAX_CONCURRENCY}
 * (stage upper-cased, '-' written '_'); 0 disables the stage. An override wins over the table.
 */
public final class StageLimits {
  private static final String PREFIX = "CONTENT_STAGE_";
  private static final String SUFFIX = "_MAX_CONCURRENCY";

  private final Map<String, Integer> overrides;

  private StageLimits(Map<String, Integer> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  public static StageLimits none() {
    return new StageLimits(Map.of());
  }

  public static StageLimits fromEnvironment(Map<String, String> env) {
    Map<String, Integer> overrides = new HashMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length()) {
        overrides.put(name.substring(PREFIX.length(), name.length() - SUFFIX.length()), parse(name, value));
      }
    });
    return new StageLimits(overrides);
  }

  /** The override for a stage, if this node's environment sets one. */
  public Optional<Integer> overrideFor(String stage) {
    return Optional.ofNullable(overrides.get(stage.toUpperCase(Locale.ROOT).replace('-', '_')));
  }

  private static int parse(String name, String value) {
    try {
      int limit = Integer.parseInt(value.trim());
      if (limit < 0) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid configuration: " + name + " must be a whole number >= 0, got '" + value + "'");
    }
  }
}
