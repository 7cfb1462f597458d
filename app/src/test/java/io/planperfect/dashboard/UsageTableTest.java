package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.json.Json;
import org.junit.jupiter.api.Test;

/** The job page's AI usage table, from the shape GET /api/v1/jobs/{id} gives ({@code usage} with totals and stages). */
class UsageTableTest {
  @Test
  void totals_and_a_row_per_stage_are_shown_with_the_cost() {
    String html = UsageTable.render(Json.read("""
        {"calls": 3, "input_tokens": 1200, "output_tokens": 800, "cost_usd": 0.0123,
         "stages": [{"stage": "outline", "calls": 1, "input_tokens": 200, "output_tokens": 100, "cost_usd": 0.002},
                    {"stage": "<b>draft</b>", "calls": 2, "input_tokens": 1000, "output_tokens": 700, "cost_usd": 0.0103}]}"""));

    assertThat(html).contains("AI usage and cost").contains("<td>outline</td><td>1</td><td>200</td><td>100</td><td>0.0020</td>")
        .contains("<td><strong>All</strong></td><td>3</td><td>1200</td><td>800</td><td>0.0123</td>")
        .contains("&lt;b&gt;draft&lt;/b&gt;").doesNotContain("<b>draft</b>");
  }

  @Test
  void a_job_without_model_calls_or_without_usage_shows_nothing() {
    assertThat(UsageTable.render(Json.read("{\"calls\": 0, \"input_tokens\": 0, \"stages\": []}"))).isEmpty();
    assertThat(UsageTable.render(Json.object().path("usage"))).isEmpty();
    assertThat(UsageTable.render(null)).isEmpty();
  }

  @Test
  void another_shape_is_shown_field_by_field() {
    assertThat(UsageTable.render(Json.read("{\"tokens\": 50, \"model\": \"m\"}"))).contains("<th>tokens</th><td>50</td>")
        .contains("<th>model</th><td>m</td>");
  }
}
