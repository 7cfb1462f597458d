package io.planperfect.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Reads typed values from environment variables, naming the variable when one is malformed. */
public final class EnvReader {
  private final Map<String, String> env;

  public EnvReader(Map<String, String> env) {
    this.env = env;
  }

  public Optional<String> optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String text(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  public int integer(String name, int fallback) {
    return optional(name).map(v -> parseInt(name, v)).orElse(fallback);
  }

  public boolean bool(String name, boolean fallback) {
    return optional(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("invalid configuration: " + name + " must be true or false, got '" + v + "'");
    }).orElse(fallback);
  }

  public Duration seconds(String name, double fallback) {
    double seconds = optional(name).map(v -> parseDouble(name, v)).orElse(fallback);
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid configuration: " + name + " must be an integer, got '" + value + "'");
    }
  }

  private static double parseDouble(String name, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid configuration: " + name + " must be a number of seconds, got '" + value + "'");
    }
  }
}
