package io.planperfect.queue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The wake-up signals of this node, one per queue and stage. A send committed here signals
 * directly; sends committed by other nodes arrive through {@link NotificationListener}.
 */
public final class WorkSignals {
  private final ConcurrentMap<String, WakeSignal> signals = new ConcurrentHashMap<>();
  // whether this node's NotificationListener listens now (its LISTEN ran on a live connection)
  private volatile boolean listening;

  public WakeSignal forStage(String queue, String stage) {
    return signals.computeIfAbsent(key(queue, stage), k -> new WakeSignal());
  }

  /**
   * The signal of a key other than a stage's (such as the job change feed's), which notifications
   * with that payload wake on this node.
   */
  public WakeSignal forKey(String key) {
    return signals.computeIfAbsent(key, k -> new WakeSignal());
  }

  public void signal(String queue, String stage) {
    signalKey(key(queue, stage));
  }

  /** Signals by the "queue:stage" key that notifications carry; unknown keys are ignored. */
  void signalKey(String key) {
    WakeSignal signal = signals.get(key);
    if (signal != null) {
      signal.signal();
    }
  }

  /** Wakes every loop, e.g. after the notification connection was re-established. */
  void signalAll() {
    signals.values().forEach(WakeSignal::signal);
  }

  /** Whether this node listens on the work channel now, for {@link WorkAnnouncer} to tell its own listener from others'. */
  boolean listening() {
    return listening;
  }

  void listening(boolean on) {
    listening = on;
  }

  private static String key(String queue, String stage) {
    return queue + ":" + stage;
  }
}
