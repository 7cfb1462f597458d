package io.planperfect.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 2: every function a stage transition calls keeps its statements' plans for the session.
 * A SQL-language function that is not inlined plans its query again at each call (PostgreSQL up to 17);
 * a profile with {@code pg_stat_statements.track_planning} found the ready-message probe, called twice
 * per transition, planned at every one of its calls and spending twice as long planning as running.
 * plpgsql functions prepare their statements once per session.
 */
class TransitionPlansTest {
  private static final List<String> CALLED_PER_TRANSITION = List.of(
      "begin_stage_attempt", "claim_stage_attempts", "complete_stage_attempt", "complete_stage_attempt_and_claim_next",
      "finish_stage_attempt", "move_job_on", "reserve_stage_slots", "skip_stages_between", "stage_has_ready",
      "wait_stage_attempt", "write_completed_event");

  @Test
  void the_functions_a_stage_transition_calls_are_plpgsql_so_their_plans_are_kept() {
    Map<String, String> languages = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select p.proname, l.lanname
              from pg_proc p join pg_language l on l.oid = p.prolang
              join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'public' and p.proname = any(:names)""")
        .bind("names", CALLED_PER_TRANSITION.toArray(String[]::new))
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

    assertThat(languages).containsOnlyKeys(CALLED_PER_TRANSITION);
    assertThat(languages).allSatisfy((name, language) -> assertThat(language).as(name).isEqualTo("plpgsql"));
  }
}
