package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standard node's pipelines share one fetcher built from PLANPERFECT_FETCH_*; bad settings stop the start. */
class StandardPipelinesTest {

  private static PipelineDefinition pageperfect(Map<String, String> env) {
    return StandardPipelines.all(env).forJobType("pageperfect").orElseThrow();
  }

  @Test
  void the_standard_node_runs_articles_schema_and_pageperfect() {
    PipelineRegistry all = StandardPipelines.all(Map.of());
    assertThat(all.jobTypes()).contains("article", "schema", "pageperfect");
    assertThat(all.forJobType("pageperfect").orElseThrow().queue()).isEqualTo("pageperfect");
  }

  @Test
  void a_local_page_is_refused_by_default_and_accepted_once_planperfect_fetch_allow_lists_it() {
    var payload = Json.object().put("url", "http://127.0.0.1:8000/guide.html");
    assertThatThrownBy(() -> pageperfect(Map.of()).intake().validate(payload.deepCopy()))
        .isInstanceOfSatisfying(InvalidField.class, e -> assertThat(e.field()).isEqualTo("payload.url"))
        .hasMessageContaining("loopback");
    assertThat(pageperfect(Map.of("PLANPERFECT_FETCH_ALLOW", "127.0.0.1/32")).intake().validate(payload.deepCopy())
        .path("url").asText()).isEqualTo("http://127.0.0.1:8000/guide.html");
  }

  @Test
  void malformed_fetch_and_embedding_settings_are_refused_naming_the_variable() {
    assertThatThrownBy(() -> StandardPipelines.all(Map.of("PLANPERFECT_FETCH_ALLOW", "10.0.0.0/40")))
        .hasMessageContaining("PLANPERFECT_FETCH_ALLOW");
    assertThatThrownBy(() -> StandardPipelines.all(Map.of("PLANPERFECT_FETCH_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("PLANPERFECT_FETCH_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> StandardPipelines.all(Map.of("PLANPERFECT_EMBEDDINGS", "word2vec")))
        .hasMessageContaining("PLANPERFECT_EMBEDDINGS");
  }
}
