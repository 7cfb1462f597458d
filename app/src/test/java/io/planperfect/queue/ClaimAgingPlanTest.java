package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.TestDatabase;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The aged claim (claim_stage_attempts in R__stage_claims.sql, its statement copied here with the
 * function's variables as literals) reads only the claim index at a million waiting messages: one
 * probe per priority present and the head of each, never the table, with a handful of buffers.
 */
class ClaimAgingPlanTest {
  private static final String AGED_CLAIM = """
      explain (analyze, buffers, format text)
      select c.msg_id from (
          with recursive levels (p) as (
              (select q.priority from queue_messages q
                where q.queue_name = 'content' and q.stage = 'research'
                order by q.priority desc limit 1)
              union all
              select (select q.priority from queue_messages q
                       where q.queue_name = 'content' and q.stage = 'research' and q.priority < l.p
                       order by q.priority desc limit 1)
                from levels l where l.p is not null)
          select h.msg_id, h.priority + 10 * floor(extract(epoch from now() - h.enqueued_at) / 300) as effective
            from levels l
           cross join lateral (
              select q.msg_id, q.priority, q.enqueued_at from queue_messages q
               where q.queue_name = 'content' and q.stage = 'research' and q.priority = l.p and q.vt <= now()
               order by q.msg_id
               limit 10
                 for update skip locked) h
           where l.p is not null
           order by effective desc, h.msg_id
           limit 10) c""";

  @BeforeAll
  static void fill() {
    TestDatabase.clean();
    // a million waiting messages over three stages and three priorities, a third of them delayed
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("""
          insert into queue_messages (queue_name, stage, job_id, priority, vt, enqueued_at, message)
          select 'content', (array['research','outline','draft'])[1 + g % 3], null, (array[-10, 0, 10])[1 + (g / 3) % 3],
                 case when g % 7 < 2 then now() + interval '1 hour' else now() end,
                 now() - make_interval(secs => (1000000 - g) / 100.0), '{}'::jsonb
            from generate_series(1, 1000000) g""");
      h.execute("analyze queue_messages");
    });
  }

  @AfterAll
  static void clean() {
    TestDatabase.clean();
  }

  private static String plan() {
    List<String> lines = TestDatabase.jdbi().inTransaction(h -> h.createQuery(AGED_CLAIM).mapTo(String.class).list());
    return String.join("\n", lines);
  }

  @Test
  void the_aged_claim_uses_the_claim_index_and_never_scans_the_table_at_a_million_messages() {
    String plan = plan();

    assertThat(plan).contains("Index Scan using queue_messages_claim_idx").doesNotContain("Seq Scan")
        .doesNotContain("Bitmap Heap Scan");
    Matcher buffers = Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?").matcher(plan);
    assertThat(buffers.find()).isTrue();
    long touched = Long.parseLong(buffers.group(1)) + (buffers.group(2) == null ? 0 : Long.parseLong(buffers.group(2)));
    assertThat(touched).as(plan).isLessThan(200);
  }
}
