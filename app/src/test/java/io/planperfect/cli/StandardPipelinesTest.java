package io.planperfect.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.PlanPerfectNode;
import io.planperfect.stages.generation.GenerationStubAnswers;
import io.planperfect.testing.Http;
import io.planperfect.testing.ProviderStub;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
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
  void the_standard_generation_pipeline_writes_its_components_through_the_nodes_model() {
    TestDatabase.clean();
    try (ProviderStub stub = new ProviderStub(GenerationStubAnswers::components)) {
      Map<String, String> env = Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", "sk-test-standard",
          "OPENAI_BASE_URL", stub.baseUrl(), "PLANPERFECT_LLM_MODEL", "gpt-4o-mini");
      try (PlanPerfectNode node = TestNode.start(StandardPipelines.all(env), env)) {
        Http.Response created = new Http(node.port(), TestNode.SERVICE_KEY).post("/api/v1/jobs", """
            {"job_type": "generation", "payload": {"pageType": "category", "targetUrl": "https://shop.example.com/c/tools",
             "keywords": ["garden tools", "pruning shears"]}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String job = created.json().path("job_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
            TestDatabase.count("select count(*) from jobs where id = ?::uuid and status = 'completed'", job) == 1);
        assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.user()).contains("Page type: category"));
        assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ?::uuid and stage = 'component-generation'",
            job)).isEqualTo(1);
      }
    }
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
