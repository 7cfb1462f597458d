package io.planperfect.stages.writer;

import java.nio.charset.StandardCharsets;

/**
 * A hash that is the same on every JVM and run, used to pick templates deterministically.
 * why: String.hashCode has weak low bits for short inputs, so FNV-1a is finished with a
 * SplitMix64 mix to spread neighbouring counters across template choices.
 */
final class StableHash {
  private StableHash() {}

  static long of(Object... parts) {
    long hash = 0xcbf29ce484222325L;
    for (Object part : parts) {
      for (byte b : (String.valueOf(part) + '\u001f').getBytes(StandardCharsets.UTF_8)) {
        hash ^= b & 0xff;
        hash *= 0x100000001b3L;
      }
    }
    return mix(hash);
  }

  /** A choice in [0, bound) derived from the parts. */
  static int pick(int bound, Object... parts) {
    return (int) Long.remainderUnsigned(of(parts), bound);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
