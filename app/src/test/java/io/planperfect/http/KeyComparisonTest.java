package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * S4: keys are compared as SHA-256 digests with {@code MessageDigest.isEqual}, never as strings; a
 * measurement of wrong keys sharing 0 or 31 leading characters with the real one is reported (not
 * asserted: speed is not a test's business here).
 */
class KeyComparisonTest {
  private static final String KEY = "pp_service_0123456789abcdefghijklmnopqrstu";

  private static Set<String> callsOf(Class<?> type) {
    JavaClass imported = new ClassFileImporter().importClasses(type).get(type);
    return imported.getMethodCallsFromSelf().stream().map(JavaMethodCall::getTarget)
        .map(t -> t.getOwner().getName() + "." + t.getName()).collect(Collectors.toSet());
  }

  @Test
  void the_key_check_compares_sha256_digests_with_message_digest_is_equal() {
    Set<String> calls = callsOf(ApiKeys.class);

    assertThat(calls).contains("java.security.MessageDigest.isEqual", "java.security.MessageDigest.getInstance");
    assertThat(calls).doesNotContain("java.lang.String.equals", "java.lang.String.contentEquals",
        "java.lang.String.equalsIgnoreCase", "java.util.Objects.equals", "java.util.Arrays.equals");
  }

  @Test
  void the_session_check_compares_signatures_and_csrf_tokens_with_message_digest_is_equal() {
    Set<String> calls = callsOf(Sessions.class);
    calls.addAll(callsOf(Sessions.Session.class));

    assertThat(calls).contains("java.security.MessageDigest.isEqual");
    assertThat(calls).doesNotContain("java.lang.String.equals", "java.util.Objects.equals", "java.util.Arrays.equals");
  }

  @Test
  void wrong_keys_near_and_far_from_the_real_one_are_all_refused_and_timed() {
    ApiKeys keys = new ApiKeys(KEY, "pp_anon_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
    String far = "X".repeat(KEY.length());
    String near = KEY.substring(0, 31) + "X".repeat(KEY.length() - 31);
    int rounds = Integer.getInteger("s4.rounds", 100_000);
    for (int i = 0; i < 20_000; i++) {
      keys.accessOf(i % 2 == 0 ? far : near);
    }
    long[] farNanos = new long[rounds];
    long[] nearNanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      if (i % 2 == 0) {
        farNanos[i] = time(keys, far);
        nearNanos[i] = time(keys, near);
      } else {
        nearNanos[i] = time(keys, near);
        farNanos[i] = time(keys, far);
      }
    }
    Arrays.sort(farNanos);
    Arrays.sort(nearNanos);
    double ks = ksStatistic(farNanos, nearNanos);
    double p = ksPValue(ks, rounds, rounds);
    System.out.printf("S4 rounds=%d median_far=%dns median_near=%dns diff=%dns ks_D=%.4f ks_p=%.3f%n", rounds,
        farNanos[rounds / 2], nearNanos[rounds / 2], nearNanos[rounds / 2] - farNanos[rounds / 2], ks, p);

    assertThat(keys.accessOf(far)).isEmpty();
    assertThat(keys.accessOf(near)).isEmpty();
    assertThat(keys.accessOf(KEY)).contains(Access.SERVICE);
  }

  private static long time(ApiKeys keys, String presented) {
    long started = System.nanoTime();
    keys.accessOf(presented);
    return System.nanoTime() - started;
  }

  /** The two-sample Kolmogorov–Smirnov statistic of two sorted samples. */
  private static double ksStatistic(long[] a, long[] b) {
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < a.length && j < b.length) {
      long x = Math.min(a[i], b[j]);
      while (i < a.length && a[i] == x) {
        i++;
      }
      while (j < b.length && b[j] == x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
    }
    return d;
  }

  /** The asymptotic p-value of a two-sample KS statistic. */
  private static double ksPValue(double d, int n, int m) {
    double en = Math.sqrt((double) n * m / (n + m));
    double lambda = (en + 0.12 + 0.11 / en) * d;
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      sum += 2 * Math.pow(-1, k - 1) * Math.exp(-2 * k * k * lambda * lambda);
    }
    return Math.max(0, Math.min(1, sum));
  }

}
