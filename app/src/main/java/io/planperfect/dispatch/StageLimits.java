package io.planperfect.dispatch;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This node's environment overrides of max_concurrency, per queue and stage:
 * {@code <QUEUE>_STAGE_<STAGE>_MAX_CONCURRENCY} (queue and stage upper-cased, '-' written '_'), so
 * {@code CONTENT_STAGE_RESEARCH_MAX_CONCURRENCY} is the content queue's research stage as seed 000
 * has it, and {@code SCHEMA_STAGE_RESEARCH_MAX_CONCURRENCY} the schema queue's. 0 disables the
 * stage. An override wins over the table.
 */
public final class StageLimits {
  private static final Pattern NAME = Pattern.compile("([A-Z0-9_]+?)_STAGE_([A-Z0-9_]+)_MAX_CONCURRENCY");

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
      Matcher matcher = NAME.matcher(name);
      if (matcher.matches()) {
        overrides.put(key(matcher.group(1), matcher.group(2)), parse(name, value));
      }
    });
    return new StageLimits(overrides);
  }

  /** The override for a queue's stage, if this node's environment sets one. */
  public Optional<Integer> overrideFor(String queue, String stage) {
    return Optional.ofNullable(overrides.get(key(queue, stage)));
  }

  /** The variable that overrides a queue's stage. */
  public static String variableFor(String queue, String stage) {
    return envName(queue) + "_STAGE_" + envName(stage) + "_MAX_CONCURRENCY";
  }

  private static String key(String queue, String stage) {
    return envName(queue) + "/" + envName(stage);
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
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
