package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schema pipeline's own intake rules refuse a bad price, currency or schema type with 400 naming it. */
class SchemaIntakeValidationTest {
  private static PlanPerfectNode node;
  private static Http anon;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(SchemaPipeline.definition())));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private static String job(String extra) {
    return "{\"job_type\": \"schema\", \"payload\": {\"title\": \"Blue kettle\"" + extra + "}}";
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      "price": "12,50"                 | payload.price
      "price": "12.50 EUR"             | payload.price
      "price": "$12"                   | payload.price
      "price": -3                      | payload.price
      "price": true                    | payload.price
      "price": {"amount": 12}          | payload.price
      "currency": "euro"               | payload.currency
      "currency": "eur"                | payload.currency
      "currency": "XYZ"                | payload.currency
      "currency": 978                  | payload.currency
      "schema_type": "Recipe"          | payload.schema_type
      "schema_type": "Article; drop"   | payload.schema_type
      "schema_type": ["Article"]       | payload.schema_type
      """)
  void a_bad_schema_field_is_refused_with_400_naming_it_and_nothing_is_stored(String field, String named) {
    Http.Response response = anon.post("/api/v1/jobs", job(", " + field));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(response.json().path("field").asText()).isEqualTo(named);
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      "price": "12.50", "currency": "EUR", "schema_type": "Product", "name": "Kettle"
      "price": 12.5, "currency": "USD", "schema_type": "product", "name": "Kettle"
      "price": 0, "currency": "JPY", "schema_type": "FAQPage"
      "schema_type": "faq_page"
      "price": null, "currency": null, "schema_type": null
      """)
  void good_schema_fields_are_accepted(String fields) {
    Http.Response response = anon.post("/api/v1/jobs", job(", " + fields));

    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  @Test
  void the_content_intake_of_the_seed_applies_the_same_rules() {
    Http.Response response = anon.post("/functions/v1/content-intake", job(", \"price\": \"12,50\""));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().path("field").asText()).isEqualTo("payload.price");
  }
}
