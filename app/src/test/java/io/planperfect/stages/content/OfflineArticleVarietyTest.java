package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The offline writer says nothing twice in an article of ordinary length: no repeated and no near-duplicate sentence. */
class OfflineArticleVarietyTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Growing Tomatoes on a Small Balcony | container gardening | 1200",
      "A Beginner's Guide to Home Espresso | espresso machines; coffee grinders | 1200",
      "Planning a Budget Trip to Lisbon | lisbon hotels; tram 28; pastel de nata; day trips; fado | 1500",
      "Running Your First Marathon | marathon training; running shoes; race nutrition | 1000"})
  void an_offline_article_has_no_repeated_or_near_duplicate_sentence(String title, String keywords, int words) throws Exception {
    ObjectNode payload = Json.object().put("title", title).put("word_count", words).put("tone", "friendly")
        .put("audience", "beginners");
    payload.set("keywords", Json.strings(List.of(keywords.split("\\s*;\\s*"))));
    JsonNode qa = Articles.run("qa", payload);
    assertThat(qa.path("repeated_sentences")).isEmpty();
    assertThat(qa.path("near_duplicate_sentences")).as(qa.path("near_duplicate_sentences").toString()).isEmpty();
  }

  /** Past about 1,500 words the bank's templates come round again (QA reports the near-duplicates), but no sentence is written twice. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Growing Tomatoes on a Small Balcony | container gardening | 5000",
      "Planning a Budget Trip to Lisbon | lisbon hotels; tram 28; pastel de nata; day trips; fado | 5000"})
  void a_long_offline_article_never_writes_a_sentence_twice(String title, String keywords, int words) throws Exception {
    ObjectNode payload = Json.object().put("title", title).put("word_count", words).put("tone", "friendly")
        .put("audience", "beginners");
    payload.set("keywords", Json.strings(List.of(keywords.split("\\s*;\\s*"))));
    JsonNode qa = Articles.run("qa", payload);
    assertThat(qa.path("repeated_sentences")).isEmpty();
  }
}
