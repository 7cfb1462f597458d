package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** How CSV cells become intake bodies: numbers where a pipeline expects numbers, text elsewhere. */
class CsvBatchBodyTest {

  @Test
  void an_article_csv_gives_word_count_as_a_number_and_keeps_a_numeric_title_as_text() {
    JsonNode rows = CsvBatchBody.parse("title,keywords,word_count\n2024,garden;pots,1500\n", "article");

    JsonNode payload = rows.get(0).path("payload");
    assertThat(payload.path("word_count").isIntegralNumber()).isTrue();
    assertThat(payload.path("word_count").asInt()).isEqualTo(1500);
    assertThat(payload.path("title").isTextual()).isTrue();
    assertThat(payload.path("keywords")).hasSize(2);
  }
}
