package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrySettingsTest {
  private static final StageHandler NOTHING = context -> StageOutcome.completed(Json.object());

  private static PipelineDefinition pipeline(RetrySettings pipelineRetry, RetrySettings stageRetry) {
    return new PipelineDefinition("p", "p", List.of("p"),
        List.of(new StageDefinition("own", NOTHING, stageRetry), new StageDefinition("plain", NOTHING)), pipelineRetry);
  }

  @Test
  void unset_settings_are_taken_from_the_fallback_and_set_ones_are_kept() {
    RetrySettings resolved = new RetrySettings(5, null).orElse(new RetrySettings(2, 30));

    assertThat(resolved).isEqualTo(new RetrySettings(5, 30));
  }

  @Test
  void a_stage_definition_overrides_its_pipeline_and_inherits_what_it_leaves_unset() {
    PipelineDefinition pipeline = pipeline(new RetrySettings(2, 30), new RetrySettings(6, null));

    assertThat(pipeline.retryFor("own")).isEqualTo(new RetrySettings(6, 30));
    assertThat(pipeline.retryFor("plain")).isEqualTo(new RetrySettings(2, 30));
  }

  @Test
  void a_pipeline_without_settings_leaves_the_node_s_in_place() {
    RetryPolicy node = RetryPolicy.of(3, Duration.ofSeconds(60), Duration.ofHours(1));

    assertThat(pipeline(RetrySettings.NONE, RetrySettings.NONE).retryFor("own").orElse(node.settings()))
        .isEqualTo(new RetrySettings(3, 60));
  }

  @Test
  void copies_of_a_definition_keep_its_retry_settings() {
    PipelineDefinition pipeline = pipeline(new RetrySettings(2, null), new RetrySettings(6, null));

    PipelineDefinition rewrapped = pipeline.withStages(pipeline.stages().stream().map(s -> s.withHandler(NOTHING)).toList());

    assertThat(rewrapped.retryFor("own")).isEqualTo(new RetrySettings(6, null));
    assertThat(rewrapped.retry()).isEqualTo(new RetrySettings(2, null));
  }

  @Test
  void a_limit_below_one_or_a_negative_delay_is_refused() {
    assertThatThrownBy(() -> new RetrySettings(0, null)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetrySettings(null, -1)).hasMessageContaining("retryDelaySeconds");
  }
}
