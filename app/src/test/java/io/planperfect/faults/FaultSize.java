package io.planperfect.faults;

/**
 * How big a fault scenario runs: its CI size by default, the size of RELIABILITY.md's tables with
 * {@code -Dfaults.full=true} (see {@code faults-full}), and any one figure set by its own property,
 * e.g. {@code -Dfaults.jobs=300}.
 */
final class FaultSize {
  static final boolean FULL = Boolean.getBoolean("faults.full");

  private FaultSize() {}

  /** The value of {@code -Dfaults.<name>}, else {@code full} in a full run, else {@code ci}. */
  static int of(String name, int ci, int full) {
    return Integer.getInteger("faults." + name, FULL ? full : ci);
  }
}
