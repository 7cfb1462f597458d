package io.planperfect.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.config.CallbackSettings;
import io.planperfect.config.EnvReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callback knobs: defaults, nonsense refused at start naming the variable, the secret never printed. */
class CallbackSettingsTest {

  private static CallbackSettings from(Map<String, String> env) {
    return CallbackSettings.from(new EnvReader(env));
  }

  @Test
  void defaults_are_eight_attempts_from_ten_seconds_polled_every_second() {
    CallbackSettings settings = from(Map.of());
    assertThat(settings.maxAttempts()).isEqualTo(8);
    assertThat(settings.backoffBase()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.secret()).isEmpty();
    assertThat(settings.claimTimeout()).isGreaterThan(settings.timeout());
  }

  @Test
  void nonsense_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> from(Map.of("PLANPERFECT_CALLBACK_MAX_ATTEMPTS", "0")))
        .hasMessageContaining("PLANPERFECT_CALLBACK_MAX_ATTEMPTS");
    assertThatThrownBy(() -> from(Map.of("PLANPERFECT_WEBHOOK_SECRET", "short")))
        .hasMessageContaining("PLANPERFECT_WEBHOOK_SECRET");
    assertThatThrownBy(() -> from(Map.of("PLANPERFECT_CALLBACK_POLL_MILLIS", "1")))
        .hasMessageContaining("PLANPERFECT_CALLBACK_POLL_MILLIS");
  }

  @Test
  void the_secret_is_masked_when_the_settings_are_printed() {
    assertThat(from(Map.of("PLANPERFECT_WEBHOOK_SECRET", "a-very-secret-value-123")).toString())
        .doesNotContain("a-very-secret-value-123").contains("***");
  }

  @Test
  void the_smtp_url_is_parsed_with_its_password_masked_and_nonsense_refused_naming_the_variable() {
    CallbackSettings settings = from(Map.of("PLANPERFECT_SMTP_URL", "smtp://mailer:p%40ss-w0rd@mail.example:2525"));
    assertThat(settings.smtp()).hasValueSatisfying(smtp -> {
      assertThat(smtp.host()).isEqualTo("mail.example");
      assertThat(smtp.port()).isEqualTo(2525);
      assertThat(smtp.user()).contains("mailer");
      assertThat(smtp.password()).contains("p@ss-w0rd");
      assertThat(smtp.tls()).isFalse();
    });
    assertThat(settings.toString()).contains("smtp://mailer:***@mail.example:2525").doesNotContain("w0rd");
    assertThat(from(Map.of("PLANPERFECT_SMTP_URL", "smtps://relay.example")).smtp().orElseThrow().port()).isEqualTo(465);
    assertThat(from(Map.of()).smtp()).isEmpty();
    assertThatThrownBy(() -> from(Map.of("PLANPERFECT_SMTP_URL", "http://user:secret-pw@mail.example")))
        .hasMessageContaining("PLANPERFECT_SMTP_URL").hasMessageNotContaining("secret-pw");
  }
}
