package io.planperfect.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether this node should be sent work, as a set of named checks the node's parts register:
 * a part that must start is {@link #expect expected} and not ready until it {@link #markReady marks}
 * itself so; a running part adds a {@link #watch check} asked at every probe (a loop's last pass,
 * the database); and a node that is shutting down is {@link #drain draining}. {@code /health/ready}
 * answers 503 naming every failing part. Parts may register in any order and at any time (a node
 * whose workers start after its HTTP server binds is not ready until they mark themselves).
 */
public final class Readiness {
  /** The part every node expects from its first moment and marks ready once its loops run. */
  public static final String STARTUP = "startup";
  /** A check: empty when the part is fine, else what is wrong with it. */
  @FunctionalInterface
  public interface Check {
    Optional<String> problem();
  }

  /** The answer of one probe: each failing part with what is wrong. */
  public record Report(boolean draining, Map<String, String> failing) {
    public boolean ready() {
      return !draining && failing.isEmpty();
    }
  }

  private final Map<String, Boolean> expected = new LinkedHashMap<>();
  private final Map<String, Check> checks = new LinkedHashMap<>();
  private volatile boolean draining;

  /** The part must start before the node is ready. */
  public synchronized void expect(String part) {
    expected.putIfAbsent(part, false);
  }

  /** The part has started. */
  public synchronized void markReady(String part) {
    expected.put(part, true);
  }

  /** Whether an expected part has marked itself ready. */
  public synchronized boolean isReady(String part) {
    return expected.getOrDefault(part, false);
  }

  /** A check asked at each probe, under the part's name; replaces an earlier one of the same name. */
  public synchronized void watch(String part, Check check) {
    checks.put(part, check);
  }

  /**
   * A loop that tells how long ago it began its last pass: failing when that is longer than
   * {@code maxAge} (the loop hangs or waits on something that does not answer), or "stopped" when
   * the loop's thread is gone (it answers a duration of years).
   */
  public void watchLoop(String part, Supplier<Duration> sinceLastPass, Duration maxAge) {
    watch(part, () -> {
      Duration age = sinceLastPass.get();
      return age.compareTo(maxAge) <= 0 ? Optional.empty()
          : Optional.of(age.getSeconds() > 365L * 24 * 3600 ? "stopped" : "no pass for " + age.toMillis() + " ms");
    });
  }

  /** The node is shutting down: not ready from now on, whatever the checks say. */
  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Asks every check now. A check that throws fails with its message. */
  public Report report() {
    Map<String, String> failing = new LinkedHashMap<>();
    List<Map.Entry<String, Check>> toAsk;
    synchronized (this) {
      expected.forEach((part, ready) -> {
        if (!ready) {
          failing.put(part, "not started");
        }
      });
      toAsk = new ArrayList<>(checks.entrySet());
    }
    for (Map.Entry<String, Check> check : toAsk) {
      if (failing.containsKey(check.getKey())) {
        continue;
      }
      try {
        check.getValue().problem().ifPresent(problem -> failing.put(check.getKey(), problem));
      } catch (RuntimeException e) {
        failing.put(check.getKey(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    return new Report(draining, failing);
  }
}
