package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.planperfect.json.Json;
import org.junit.jupiter.api.Test;

/** The bars of a job's stages, fed changes in the order a stream may deliver them. */
class StageBarsTest {

  @Test
  void a_stage_that_starts_while_an_earlier_ones_bar_is_open_closes_that_bar_and_opens_its_own() {
    try (StageBars bars = new StageBars()) {
      bars.apply(Json.object().put("stage", "generate").put("event", "processing"));

      assertThatCode(() -> bars.apply(Json.object().put("stage", "validate").put("event", "completed")))
          .doesNotThrowAnyException();
      assertThatCode(() -> bars.apply(Json.object().put("stage", "complete").put("event", "processing")))
          .doesNotThrowAnyException();
    }
  }
}
