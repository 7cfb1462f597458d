package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ExportStageTest {

  @Test
  void the_html_has_the_title_as_h1_and_sections_as_h2() throws Exception {
    String html = Articles.run("export", Articles.payload()).path("html").asText();
    assertThat(html).contains("<h1>Growing Tomatoes on a Small Balcony</h1>").contains("<h2>").contains("<p>");
  }

  @Test
  void the_json_ld_describes_an_article_at_the_domain() throws Exception {
    JsonNode schema = Articles.run("export", Articles.payload()).path("schema_org");
    assertThat(schema.path("@context").asText()).isEqualTo("https://schema.org");
    assertThat(schema.path("@type").asText()).isEqualTo("Article");
    assertThat(schema.path("headline").asText()).isEqualTo("Growing Tomatoes on a Small Balcony");
    assertThat(schema.path("url").asText()).isEqualTo("https://example.com/growing-tomatoes-on-a-small-balcony");
    assertThat(schema.path("wordCount").asInt()).isPositive();
  }

  @Test
  void the_wordpress_payload_is_a_draft_post_without_the_h1() throws Exception {
    JsonNode wordpress = Articles.run("export", Articles.payload()).path("wordpress");
    assertThat(wordpress.path("status").asText()).isEqualTo("draft");
    assertThat(wordpress.path("slug").asText()).isEqualTo("growing-tomatoes-on-a-small-balcony");
    assertThat(wordpress.path("content").asText()).contains("<h2>").doesNotContain("<h1>");
    assertThat(wordpress.path("excerpt").asText()).contains("container gardening");
  }

  @Test
  void the_shopify_payload_has_a_handle_and_keyword_tags() throws Exception {
    JsonNode shopify = Articles.run("export", Articles.payload()).path("shopify");
    assertThat(shopify.path("handle").asText()).isEqualTo("growing-tomatoes-on-a-small-balcony");
    assertThat(shopify.path("tags").asText()).isEqualTo("container gardening, tomato varieties, watering schedule");
    assertThat(shopify.path("body_html").asText()).contains("<h2>");
  }

  @Test
  void there_is_one_image_placeholder_per_h2() throws Exception {
    JsonNode export = Articles.run("export", Articles.payload(), Articles.withDraft(
        "# T\n\n## First\n\nText.\n\n### Sub\n\nMore.\n\n## Second\n\nEnd.\n"));
    assertThat(export.path("images")).extracting(i -> i.path("section").asText()).containsExactly("First", "Second");
    assertThat(export.path("images").get(0).path("alt").asText()).contains("First");
  }
}
