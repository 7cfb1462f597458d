package io.planperfect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** PLANPERFECT_METRICS_TOKEN and PLANPERFECT_LOG_FORMAT: defaults, and nonsense refused naming the variable. */
class ObservabilitySettingsTest {
  @Test
  void by_default_there_is_no_metrics_token_and_logs_are_text() {
    ObservabilitySettings settings = Settings.fromEnvironment(Map.of()).observability();
    assertThat(settings.metricsToken()).isEmpty();
    assertThat(settings.logFormat()).isEqualTo("text");
  }

  @Test
  void an_unknown_log_format_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("PLANPERFECT_LOG_FORMAT", "xml")))
        .hasMessageContaining("PLANPERFECT_LOG_FORMAT").hasMessageContaining("xml");
  }

  @Test
  void a_short_metrics_token_is_refused_and_the_token_is_never_printed() {
    assertThatThrownBy(() -> Settings.fromEnvironment(Map.of("PLANPERFECT_METRICS_TOKEN", "short")))
        .hasMessageContaining("PLANPERFECT_METRICS_TOKEN");
    ObservabilitySettings settings =
        Settings.fromEnvironment(Map.of("PLANPERFECT_METRICS_TOKEN", "a-long-enough-token-123")).observability();
    assertThat(settings.toString()).doesNotContain("a-long-enough-token-123");
  }
}
