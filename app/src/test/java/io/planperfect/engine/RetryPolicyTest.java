package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.queue.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static RetryPolicy policy(double random) {
    return new RetryPolicy(5, new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60), 0.2, () -> random));
  }

  @Test
  void the_delay_doubles_with_each_failed_attempt() {
    RetryPolicy middle = policy(0.5);

    assertThat(middle.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(middle.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(middle.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void the_delay_never_exceeds_the_cap() {
    assertThat(policy(1.0).delayAfter(10)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jitter_spreads_the_delay_by_twenty_percent_either_way() {
    assertThat(policy(0.0).delayAfter(1)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy(1.0).delayAfter(1)).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void retries_stop_at_max_attempts() {
    assertThat(policy(0.5).allowsRetryAfter(4)).isTrue();
    assertThat(policy(0.5).allowsRetryAfter(5)).isFalse();
  }
}
