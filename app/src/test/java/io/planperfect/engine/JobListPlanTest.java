package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The job list at a million jobs: each page is read through an index, newest first, never a sort of the table. */
@Tag("slow")
class JobListPlanTest {
  private static final int JOBS = 1_000_000;
  private static JobSearch search;

  @BeforeAll
  static void fill() {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("""
          insert into jobs (pipeline, job_type, status, stage, priority, created_at, payload)
          select case when g % 4 = 0 then 'schema' else 'content' end, 'article',
                 case when g % 10 = 0 then 'failed' else 'completed' end, 'complete', g % 3 * 10 - 10,
                 now() - g * interval '1 second', jsonb_build_object('title', 'Job ' || g)
            from generate_series(1, ?) g""", JOBS);
      h.execute("analyze jobs");
    });
    search = new JobSearch(TestDatabase.jdbi());
  }

  @AfterAll
  static void empty() {
    TestDatabase.clean();
  }

  private static JobSearch.Filter pipeline(String name) {
    return new JobSearch.Filter(Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static String planOf(JobSearch.Filter filter, Optional<String> cursor) {
    String plan = search.plan(filter, cursor, 50);
    System.out.println("plan of a page at " + JOBS + " jobs (" + filter + ", cursor " + cursor.isPresent() + "):\n" + plan);
    return plan;
  }

  @Test
  void the_first_page_reads_the_newest_jobs_by_index() {
    String plan = planOf(JobSearch.Filter.none(), Optional.empty());

    assertThat(plan).contains("Index Scan using jobs_newest_first_idx on jobs").doesNotContain("Seq Scan on jobs")
        .doesNotContain("Sort");
  }

  @Test
  void a_page_after_a_cursor_starts_its_index_scan_at_the_cursor() {
    JobSearch.Page first = search.page(JobSearch.Filter.none(), Optional.empty(), 50);
    String plan = planOf(JobSearch.Filter.none(), first.nextCursor());

    assertThat(plan).contains("Index Scan using jobs_newest_first_idx on jobs").contains("Index Cond")
        .doesNotContain("Seq Scan on jobs");
  }

  @Test
  void a_filtered_page_is_read_by_an_index_too() {
    String plan = planOf(pipeline("schema"), Optional.empty());

    assertThat(plan).containsPattern("Index Scan using jobs_(pipeline_)?newest_first_idx on jobs")
        .doesNotContain("Seq Scan on jobs");
  }

  @Test
  void pages_walk_the_million_in_order() {
    JobSearch.Page first = search.page(JobSearch.Filter.none(), Optional.empty(), 50);
    JobSearch.Page second = search.page(JobSearch.Filter.none(), first.nextCursor(), 50);

    assertThat(first.jobs()).hasSize(50);
    assertThat(second.jobs().get(0).path("title").asText()).isEqualTo("Job 51");
  }
}
