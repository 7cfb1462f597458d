package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 3: the queue's statements on one message (a claim, pop or claim-and-archive of one; an
 * archive or delete of one lease) have a plan for any parameter values (the generic plan) that finds the
 * rows by index and costs about what a plan for the given values costs, so PostgreSQL keeps it instead of
 * planning every call again. With the claim's limit a parameter that plan was costed at a tenth of the
 * queue and chose a sequential scan; with the leases as arrays their length was unknown.
 */
class QueueStatementPlansTest {
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
    // a plan for the values found (limit 1, one stage of three) costs ~10-20 here; with "limit :qty" ~4,000
    assertGenericPlans(MessageQueue.oneMessageHeadStatements(), "Seq Scan", "queue_messages_claim_idx", 100);
  }

  @Test
  void the_generic_plan_of_archiving_or_deleting_one_lease_finds_the_message_by_its_key() {
    // one lease by equality: ~14 here; by arrays the plan for any values assumes ten of them (~90), and
    // PostgreSQL planned it again for the actual length at about half of the calls
    assertGenericPlans(MessageQueue.oneLeaseStatements(), "Seq Scan on queue_messages", "queue_messages_pkey", 40);
  }

  private static void assertGenericPlans(List<String> statements, String notRead, String index, double maxCost) {
    for (String sql : statements) {
      JsonNode plan = genericPlan(sql);

      assertThat(plan.toString()).as(sql).doesNotContain(notRead).contains(index);
      assertThat(plan.get("Total Cost").asDouble()).as(sql).isLessThan(maxCost);
    }
  }

  private static JsonNode genericPlan(String namedSql) {
    StringBuilder positional = new StringBuilder();
    Matcher m = NAMED.matcher(namedSql);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      if (!names.contains(m.group(1))) {
        names.add(m.group(1));
      }
      m.appendReplacement(positional, "\\$" + (names.indexOf(m.group(1)) + 1));
    }
    m.appendTail(positional);
    // prepared with each parameter's type and a value for it; forced to its generic plan, EXPLAIN EXECUTE shows that plan
    Map<String, String> types = Map.of("queue", "text", "stage", "text", "visibility", "double precision",
        "qty", "integer", "id", "bigint", "lease", "uuid", "ids", "bigint[]", "leases", "uuid[]");
    Map<String, String> values = Map.of("queue", "'content'", "stage", "'research'", "visibility", "30", "qty", "1",
        "id", "1", "lease", "'00000000-0000-0000-0000-000000000000'",
        "ids", "array[1]", "leases", "array['00000000-0000-0000-0000-000000000000']::uuid[]");
    String parameters = String.join(", ", names.stream().map(types::get).toList());
    String arguments = String.join(", ", names.stream().map(values::get).toList());
    String text = TestDatabase.jdbi().withHandle(h -> {
      h.execute("prepare head_statement(" + parameters + ") as " + positional);
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
