package io.planperfect.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's results appear in tables the API and operators read (R__projections.sql), derived
 * from the stage payloads that the completing transactions wrote: no handler writes SQL.
 */
class ProjectionsTest {

  @Test
  void a_finished_article_and_a_finished_schema_job_appear_in_their_projections() {
    TestDatabase.clean();
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition())))) {
      UUID article = node.intake().submit(new NewJob(ContentPipeline.definition(), "article", "a@example.com",
          (ObjectNode) Json.read("{\"title\":\"Composting at Home\",\"keywords\":[\"compost\",\"garden\"],\"word_count\":300}"),
          "research", 0));
      UUID schema = node.intake().submit(new NewJob(SchemaPipeline.definition(), "schema", null,
          (ObjectNode) Json.read("{\"title\":\"Composting at Home\",\"schema_type\":\"Article\"}"), "research", 0));

      await().atMost(Duration.ofSeconds(30)).until(() ->
          TestDatabase.count("select count(*) from jobs where status = 'completed'") == 2);

      Map<String, Object> row = TestDatabase.jdbi().withHandle(h -> h.createQuery(
          "select title, slug, word_count, markdown like '# Composting at Home%' as starts_with_title, html like '<h1>%' as html,"
              + " qa_passed is not null as qa, status from articles where job_id = :id").bind("id", article).mapToMap().one());
      assertThat(row).containsEntry("title", "Composting at Home").containsEntry("slug", "composting-at-home")
          .containsEntry("starts_with_title", true).containsEntry("html", true).containsEntry("qa", true)
          .containsEntry("status", "completed");
      assertThat((Integer) row.get("word_count")).isGreaterThan(200);

      assertThat(TestDatabase.count("select count(*) from schema_markups where job_id = ? and valid"
          + " and json_ld ->> '@context' = 'https://schema.org' and schema_type = 'Article'", schema)).isEqualTo(1);
      assertThat(TestDatabase.count("select count(*) from articles where job_id = ?", schema)).isZero();
    }
  }
}
