package io.planperfect.stages.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.stages.Contexts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaPipelineTest {

  @Test
  void the_definition_lists_the_stages_in_order() {
    PipelineDefinition definition = SchemaPipeline.definition();
    assertThat(definition.name()).isEqualTo("schema");
    assertThat(definition.queue()).isEqualTo("schema");
    assertThat(definition.jobTypes()).containsExactly("schema");
    assertThat(definition.stageNames()).containsExactly("research", "generate", "validate", "complete");
  }

  @Test
  void an_article_gets_valid_article_markup() throws Exception {
    JsonNode jsonLd = runAll("""
        {"title": "Balcony Tomatoes", "keywords": ["tomatoes"], "domain": "example.com"}
        """).path("json_ld");
    assertThat(jsonLd.path("@context").asText()).isEqualTo("https://schema.org");
    assertThat(jsonLd.path("@type").asText()).isEqualTo("Article");
    assertThat(jsonLd.path("headline").asText()).isEqualTo("Balcony Tomatoes");
    assertThat(jsonLd.path("url").asText()).isEqualTo("https://example.com/balcony-tomatoes");
  }

  @Test
  void the_markup_parses_back_as_the_same_json() throws Exception {
    JsonNode jsonLd = runAll("{\"title\": \"Balcony Tomatoes\", \"schema_type\": \"BlogPosting\"}").path("json_ld");
    assertThat(new ObjectMapper().readTree(jsonLd.toString())).isEqualTo(jsonLd);
  }

  @Test
  void a_product_gets_its_name_and_offer() throws Exception {
    JsonNode jsonLd = runAll("""
        {"title": "Seed kit", "schema_type": "Product", "name": "Tomato Seed Kit",
         "price": "12.50", "currency": "EUR"}
        """).path("json_ld");
    assertThat(jsonLd.path("@type").asText()).isEqualTo("Product");
    assertThat(jsonLd.path("name").asText()).isEqualTo("Tomato Seed Kit");
    assertThat(jsonLd.path("offers").path("price").asText()).isEqualTo("12.50");
    assertThat(jsonLd.path("offers").path("priceCurrency").asText()).isEqualTo("EUR");
  }

  @Test
  void a_faq_page_uses_the_given_questions() throws Exception {
    JsonNode jsonLd = runAll("""
        {"title": "Tomato FAQ", "schema_type": "faqpage",
         "faq": [{"question": "When to plant?", "answer": "After the last frost."}]}
        """).path("json_ld");
    assertThat(jsonLd.path("@type").asText()).isEqualTo("FAQPage");
    assertThat(jsonLd.path("mainEntity")).hasSize(1);
    assertThat(jsonLd.path("mainEntity").get(0).path("acceptedAnswer").path("text").asText())
        .isEqualTo("After the last frost.");
  }

  @Test
  void a_faq_page_without_questions_is_written_from_the_keywords() throws Exception {
    JsonNode jsonLd = runAll("""
        {"title": "Tomato FAQ", "schema_type": "FAQPage", "keywords": ["tomato care", "pruning"]}
        """).path("json_ld");
    assertThat(jsonLd.path("mainEntity")).hasSize(2)
        .allSatisfy(q -> assertThat(q.path("acceptedAnswer").path("text").asText()).isNotBlank());
  }

  @Test
  void an_unknown_schema_type_is_a_permanent_failure() {
    assertThatThrownBy(() -> runAll("{\"title\": \"T\", \"schema_type\": \"Recipe\"}"))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("Recipe");
  }

  @Test
  void a_product_without_a_name_fails_validation_for_good() {
    assertThatThrownBy(() -> runAll("{\"title\": \"Seed kit\", \"schema_type\": \"Product\"}"))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("name is required");
  }

  @Test
  void a_price_without_a_currency_fails_validation_for_good() {
    assertThatThrownBy(() -> runAll(
        "{\"title\": \"Kit\", \"schema_type\": \"Product\", \"name\": \"Kit\", \"price\": \"5\"}"))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("priceCurrency");
  }

  @Test
  void validation_reports_recommended_properties_as_warnings() throws Exception {
    JsonNode validation = Contexts.completed(SchemaPipeline.definition().handler("validate")
        .run(Contexts.context("schema", "validate", Contexts.payload("{\"title\": \"T\"}"))));
    assertThat(validation.path("valid").asBoolean()).isTrue();
    assertThat(validation.path("errors")).isEmpty();
    assertThat(validation.path("warnings")).extracting(JsonNode::asText).contains("author is recommended but missing");
  }

  @Test
  void complete_works_when_the_job_starts_there() throws Exception {
    JsonNode summary = Contexts.completed(SchemaPipeline.definition().handler("complete")
        .run(Contexts.context("schema", "complete", Contexts.payload("{\"title\": \"T\", \"schema_type\": \"WebPage\"}"))));
    assertThat(summary.path("completed").asBoolean()).isTrue();
    assertThat(summary.path("schema_type").asText()).isEqualTo("WebPage");
    assertThat(summary.path("json_ld").path("name").asText()).isEqualTo("T");
  }

  @Test
  void the_same_inputs_give_the_same_markup() throws Exception {
    String payload = "{\"title\": \"How to Prune\", \"schema_type\": \"HowTo\", \"keywords\": [\"pruning\", \"suckers\"]}";
    assertThat(runAll(payload)).isEqualTo(runAll(payload));
  }

  /** Runs every stage in order, passing results on, and returns the complete stage's summary. */
  private static ObjectNode runAll(String payloadJson) throws Exception {
    PipelineDefinition definition = SchemaPipeline.definition();
    ObjectNode payload = Contexts.payload(payloadJson);
    Map<String, JsonNode> results = new LinkedHashMap<>();
    ObjectNode last = null;
    for (String stage : definition.stageNames()) {
      last = Contexts.completed(definition.handler(stage).run(Contexts.context("schema", stage, payload, Map.copyOf(results))));
      results.put(stage, last);
    }
    return last;
  }
}
