package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 3: a claim of one message (claim, pop, claim and archive) is a statement whose plan for
 * any parameter values (the generic plan) reads the queue's head by index and costs about what a plan
 * for the given values costs, so PostgreSQL keeps it instead of planning every call again. With the
 * limit a parameter that plan was costed at a tenth of the queue and chose a sequential scan.
 */
class HeadStatementPlanTest {
  private static final Pattern NAMED = Pattern.compile("(?<!:):([a-zA-Z]+)");

  @BeforeEach
  void fill() {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, message)
          select 'content', (array['research','outline','draft'])[1 + g % 3], gen_random_uuid(), g % 3,
                 jsonb_build_object('stage', 'research', 'payload', jsonb_build_object('n', g))
            from generate_series(1, 60000) g""");
      h.execute("analyze queue_messages");
    });
  }

  @Test
  void the_generic_plan_of_a_one_message_claim_reads_the_head_by_index_at_the_cost_of_a_custom_one() {
    for (String sql : MessageQueue.oneMessageHeadStatements()) {
      JsonNode plan = genericPlan(sql);

      assertThat(plan.toString()).as(sql).doesNotContain("Seq Scan").contains("queue_messages_claim_idx");
      // a plan for the values found (limit 1, one stage of three) costs ~10-20 here; with "limit :qty" ~4,000
      assertThat(plan.get("Total Cost").asDouble()).as(sql).isLessThan(100);
    }
  }

  private static JsonNode genericPlan(String namedSql) {
    StringBuilder positional = new StringBuilder();
    Matcher m = NAMED.matcher(namedSql);
    java.util.List<String> names = new java.util.ArrayList<>();
    while (m.find()) {
      if (!names.contains(m.group(1))) {
        names.add(m.group(1));
      }
      m.appendReplacement(positional, "\\$" + (names.indexOf(m.group(1)) + 1));
    }
    m.appendTail(positional);
    // PREPARE infers the parameters' types; forced to its generic plan, EXPLAIN EXECUTE shows that plan
    java.util.Map<String, String> values = java.util.Map.of("queue", "'content'", "stage", "'research'", "visibility", "30", "qty", "1");
    String arguments = String.join(", ", names.stream().map(values::get).toList());
    String text = TestDatabase.jdbi().withHandle(h -> {
      h.execute("prepare head_statement as " + positional);
      h.execute("set plan_cache_mode = force_generic_plan");
      try {
        return h.createQuery("explain (format json) execute head_statement(" + arguments + ")").mapTo(String.class).one();
      } finally {
        h.execute("reset plan_cache_mode");
        h.execute("deallocate head_statement");
      }
    });
    return Json.read(text).get(0).get("Plan");
  }
}
