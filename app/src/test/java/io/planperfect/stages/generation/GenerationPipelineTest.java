package io.planperfect.stages.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.Priority;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.stages.Contexts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generation pipeline's stages run in order on one payload, without a database. */
class GenerationPipelineTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String PRODUCT = """
      {"pageType": "product", "targetUrl": "https://shop.example.com/p/tomato-seed-kit",
       "keywords": ["tomato seeds", "balcony garden"], "productData": {"name": "tomato seed kit", "price": "12.50",
       "currency": "EUR", "sku": "TSK-1"}}""";

  private final PipelineDefinition pipeline = GenerationPipeline.definition(
      url -> TargetPage.unreachable(url, "connection refused"), new OfflineComponentWriter(), CLOCK);

  private Map<String, JsonNode> runAll(String json) throws Exception {
    ObjectNode payload = pipeline.intake().validate(Contexts.payload(json));
    Map<String, JsonNode> results = new LinkedHashMap<>();
    for (StageDefinition stage : pipeline.stages()) {
      if (stage.skip().skips(payload)) {
        continue;
      }
      var outcome = stage.handler().run(Contexts.context("generation", stage.name(), payload, Map.copyOf(results)));
      results.put(stage.name(), Contexts.completed(outcome));
    }
    return results;
  }

  @Test
  void the_definition_has_seed_004s_seven_stages_in_order_on_the_generation_queue() {
    assertThat(pipeline.name()).isEqualTo("generation");
    assertThat(pipeline.queue()).isEqualTo("generation");
    assertThat(pipeline.jobTypes()).containsExactly("generation");
    assertThat(pipeline.stageNames()).containsExactly("validation", "context-building", "component-generation",
        "template-assembly", "quality-validation", "post-processing", "storage");
  }

  @Test
  void a_product_page_is_written_assembled_checked_and_stored() throws Exception {
    Map<String, JsonNode> results = runAll(PRODUCT);

    JsonNode page = results.get("storage");
    assertThat(page.path("title").asText()).startsWith("Tomato seed kit");
    assertThat(page.path("slug").asText()).isEqualTo("tomato-seed-kit");
    assertThat(page.path("markdown").asText()).startsWith("# Tomato seed kit").contains("## Frequently asked questions")
        .contains("[[cta:add-to-cart]]");
    assertThat(page.path("html").asText()).contains("<h1>Tomato seed kit");
    assertThat(page.path("meta_description").asText().length()).isLessThanOrEqualTo(160);
    assertThat(page.path("json_ld").path("@graph").get(0).path("@type").asText()).isEqualTo("Product");
    assertThat(page.path("json_ld").path("@graph").get(0).path("offers").path("price").asText()).isEqualTo("12.50");
    assertThat(page.path("json_ld").path("@graph").get(1).path("@type").asText()).isEqualTo("FAQPage");
    assertThat(page.path("internal_links")).hasSize(2);
    assertThat(page.path("quality").path("passed").asBoolean()).as(page.path("quality").toString()).isTrue();
  }

  @Test
  void every_page_type_has_its_own_template_and_json_ld_type() throws Exception {
    for (String[] type : new String[][] {{"category", "CollectionPage", "[[product-grid:"},
        {"landing", "WebPage", "[[cta:get-started]]"}, {"blog", "BlogPosting", "[[related-posts:"}}) {
      Map<String, JsonNode> results = runAll("""
          {"pageType": "%s", "targetUrl": "https://example.com/x", "keywords": ["herb garden", "raised beds"]}"""
          .formatted(type[0]));
      assertThat(results.get("template-assembly").path("template").asText()).isEqualTo(type[0]);
      assertThat(results.get("storage").path("markdown").asText()).contains(type[2]);
      assertThat(results.get("storage").path("json_ld").path("@graph").get(0).path("@type").asText()).isEqualTo(type[1]);
    }
  }

  @Test
  void context_building_records_an_unreachable_target_page_and_goes_on() throws Exception {
    JsonNode context = runAll(PRODUCT).get("context-building");
    assertThat(context.path("targetPage").path("status").asText()).isEqualTo("unreachable");
    assertThat(context.path("targetPage").path("reason").asText()).isEqualTo("connection refused");
    assertThat(context.path("brandVoice").asText()).isEqualTo(GenerationIntake.DEFAULT_BRAND_VOICE);
    assertThat(context.path("productData").path("sku").asText()).isEqualTo("TSK-1");
  }

  @Test
  void without_a_fetcher_the_target_page_is_recorded_as_not_fetched() {
    assertThat(TargetPageSource.NOT_CONFIGURED.fetch("https://example.com/").status()).isEqualTo("not_fetched");
    assertThat(TargetPageSource.NOT_CONFIGURED.fetch("https://example.com/").reason()).isEqualTo("no fetcher configured");
  }

  @Test
  void skip_quality_check_passes_the_quality_stage_over_in_either_place() throws Exception {
    assertThat(runAll(PRODUCT.replace("{\"pageType\"", "{\"skipQualityCheck\": true, \"pageType\""))).doesNotContainKey("quality-validation");
    assertThat(runAll(PRODUCT.replace("{\"pageType\"", "{\"options\": {\"skipQualityCheck\": true}, \"pageType\"")))
        .doesNotContainKey("quality-validation").containsKey("storage");
  }

  @Test
  void the_quality_check_reports_what_fails() {
    GenerationRequest request = GenerationRequest.of(Contexts.payload("""
        {"pageType": "blog", "targetUrl": "https://example.com/x", "keywords": ["compost", "worms"]}"""));
    JsonNode quality = QualityValidationStage.check(request,
        "# Compost\n\nCompost is good for the soil in the garden. Compost is good for the soil in the garden.");
    assertThat(quality.path("passed").asBoolean()).isFalse();
    assertThat(quality.path("failures").toString()).contains("length").contains("missing [worms]").contains("duplicates");
  }

  @Test
  void intake_names_the_bad_field() {
    assertInvalid("{\"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"]}", "payload.pageType");
    assertInvalid("{\"pageType\": \"recipe\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"]}", "payload.pageType");
    assertInvalid("{\"pageType\": \"blog\", \"targetUrl\": \"ftp://e.com/\", \"keywords\": [\"a\"]}", "payload.targetUrl");
    assertInvalid("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\"}", "payload.keywords");
    assertInvalid("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"], \"language\": \"xx\"}",
        "payload.language");
    assertInvalid("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"], "
        + "\"metadata\": {\"skuCount\": -1}}", "payload.metadata.skuCount");
    assertInvalid("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"], "
        + "\"options\": {\"skipQualityCheck\": \"yes\"}}", "payload.options.skipQualityCheck");
  }

  private void assertInvalid(String json, String field) {
    assertThatThrownBy(() -> pipeline.intake().validate(Contexts.payload(json)))
        .isInstanceOf(InvalidField.class).extracting(e -> ((InvalidField) e).field()).isEqualTo(field);
  }

  @Test
  void the_validation_stage_fails_permanently_on_a_bad_payload() {
    ObjectNode bad = Contexts.payload("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"], \"language\": \"xx\"}");
    assertThatThrownBy(() -> pipeline.handler("validation").run(Contexts.context("generation", "validation", bad)))
        .isInstanceOf(PermanentStageFailure.class).hasMessageContaining("payload.language");
  }

  @Test
  void the_prioritizer_scores_as_the_seed_does() {
    GenerationPrioritizer prioritizer = new GenerationPrioritizer(CLOCK);
    // 30 + 30 + 20 + 30 = 110: HIGH
    var high = prioritizer.score(Contexts.payload("""
        {"metadata": {"skuCount": 1001, "monthlySearches": 10001, "contentStatus": "missing"},
         "deadline": "2026-12-02T06:00:00Z"}"""));
    assertThat(high.score()).isEqualTo(110);
    assertThat(high.level()).isEqualTo(Priority.HIGH);
    assertThat(high.reasons()).hasSize(4);
    // 20 + 20 + 10 + 20 (deadline in 48 h) = 70: HIGH at the boundary
    assertThat(prioritizer.score(Contexts.payload("""
        {"metadata": {"skuCount": 101, "monthlySearches": 1001, "contentStatus": "outdated"},
         "deadline": "2026-12-03T12:00:00Z"}""")).score()).isEqualTo(70);
    // 10 + 10 + 20 = 40: NORMAL; 10 + 10 = 20: LOW; a deadline 72 h or more away adds nothing
    assertThat(prioritizer.score(Contexts.payload("{\"metadata\": {\"contentStatus\": \"missing\"}}")).level())
        .isEqualTo(Priority.NORMAL);
    assertThat(prioritizer.score(Contexts.payload("{\"deadline\": \"2026-12-04T12:00:00Z\"}")).level()).isEqualTo(Priority.LOW);
    assertThat(prioritizer.score(Contexts.payload("{}")).score()).isEqualTo(20);
  }

  @Test
  void intake_stores_the_score_and_reasons_with_the_job() {
    ObjectNode payload = pipeline.intake().validate(Contexts.payload(PRODUCT));
    assertThat(payload.path("prioritization").path("score").asInt()).isEqualTo(20);
    assertThat(payload.path("prioritization").path("level").asText()).isEqualTo("LOW");
    assertThat(pipeline.intake().defaultPriority(Contexts.payload(PRODUCT))).isEqualTo(Priority.LOW.value());
    assertThat(List.of(payload.path("language").asText())).containsExactly("en");
  }
}
