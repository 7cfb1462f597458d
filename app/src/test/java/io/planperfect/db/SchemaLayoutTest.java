package io.planperfect.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.testing.ReleasedSchema;
import io.planperfect.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The SQL layout (issue 14): versioned files hold tables, indexes and data, repeatable files every
 * function, view and trigger. A database of the last release upgrades to exactly the schema a new
 * database gets, and a new database is the release's schema plus this change and nothing else.
 */
class SchemaLayoutTest {
  private static final Path MIGRATIONS = resource("/db/migration");

  @Test
  void a_database_of_the_last_release_upgrades_keeping_its_rows_and_its_old_history() {
    DatabaseAddress address = TestDatabase.newDatabase("layout_upgrade");
    ReleasedSchema.migrate(address);
    Jdbi jdbi = jdbi(address);
    jdbi.useHandle(h -> h.execute("""
        update content_stage_config set max_concurrency = 3 where queue = 'content' and stage = 'draft';
        delete from scheduler_jobs where name = 'content_pipeline_cleanup';
        insert into jobs (pipeline, job_type) values ('content', 'article');"""));

    migrate(address);

    List<String> versions = jdbi.withHandle(h -> h.createQuery("""
        select version || ' ' || type || ' ' || success from planperfect_schema_history
         where version is not null order by installed_rank""").mapTo(String.class).list());
    assertThat(versions).containsExactly("006 BASELINE true", "007 SQL true", "008 SQL true", "009 SQL true", "010 SQL true", "011 SQL true",
        "012 SQL true", "020 SQL true", "021 SQL true", "040 SQL true", "041 SQL true", "050 SQL true", "051 SQL true",
        "060 SQL true", "080 SQL true", "090 SQL true");
    assertThat(count(jdbi, "select count(*) from planperfect_schema_history where version is null and success"))
        .isEqualTo(files("R__").length);
    assertThat(count(jdbi, "select count(*) from flyway_schema_history where success")).isEqualTo(16);
    assertThat(count(jdbi, "select max_concurrency from content_stage_config where queue = 'content' and stage = 'draft'"))
        .isEqualTo(3);
    assertThat(count(jdbi, "select count(*) from scheduler_jobs where name = 'content_pipeline_cleanup'")).isZero();
    assertThat(count(jdbi, "select count(*) from content_jobs")).isEqualTo(1);
  }

  @Test
  void an_upgraded_database_has_exactly_the_schema_of_a_new_one() {
    DatabaseAddress upgraded = TestDatabase.newDatabase("layout_upgraded");
    ReleasedSchema.migrate(upgraded);
    migrate(upgraded);
    DatabaseAddress fresh = TestDatabase.newDatabase("layout_fresh");
    migrate(fresh);

    assertThat(SchemaCatalog.of(upgraded)).containsExactlyInAnyOrderEntriesOf(SchemaCatalog.of(fresh));
  }

  @Test
  void a_new_database_is_the_last_release_plus_this_change_and_nothing_else() {
    DatabaseAddress released = TestDatabase.newDatabase("layout_released");
    ReleasedSchema.migrate(released);
    DatabaseAddress fresh = TestDatabase.newDatabase("layout_new");
    migrate(fresh);
    Map<String, String> before = SchemaCatalog.of(released);
    Map<String, String> after = SchemaCatalog.of(fresh);

    Set<String> changed = new TreeSet<>();
    before.forEach((key, value) -> {
      if (!value.equals(after.get(key))) {
        changed.add(key);
      }
    });
    after.keySet().stream().filter(key -> !before.containsKey(key)).forEach(changed::add);

    // everything else (every table, column, index, constraint, trigger, function body and seed row)
    // is identical: the squashed files and the repeatable files reproduce V1..V17
    assertThat(changed).allSatisfy(key -> assertThat(key).matches(
        "function public\\.claim_stage_messages\\(.*\\)"              // dead, dropped (V008)
            + "|function public\\.stage_backlog\\(p_queue text\\)"         // item 6
            + "|function public\\.get_content_stage_backlog\\(\\)"         // now stage_backlog('content')
            + "|(relation|column|constraint|index) public\\.pipelines.*"  // V007
            + "|(relation|column|view) public\\.seed_.*"                  // the seed views' shapes
            + "|view public\\.content_.*"                               // one line each over them
            + "|column public\\.job_events\\.seq|index public\\.job_events_seq_(brin|idx)|relation public\\.job_events_seq_seq"  // V009: the change feed
            + "|column public\\.job_stages\\.waiting_since"              // V009: RetryLater's bound
            + "|function public\\.(complete_stage_attempt|skip_stages_between|wait_stage_attempt|claim_stage_attempts)\\(.*\\)"  // skips, waits
            // issue 20: a chained handoff hands the job straight on when nothing waits (R__stage_transitions, R__stage_claims)
            + "|function public\\.(begin_stage_attempt|complete_stage_attempt_and_claim_next|finish_stage_attempt|move_job_on|reserve_stage_slots|stage_has_ready|write_completed_event)\\(.*\\)"
            + "|(relation|column|view) public\\.(articles|schema_markups).*"  // R__projections
            + "|(relation|column|constraint|index) public\\.change_feed_listeners.*"  // V010
            + "|(relation|column|constraint|index|trigger) public\\.pages.*"        // V040: PagePerfect's page records
            + "|(relation|column|view) public\\.(pageperfect_.*|v_pageperfect_job_status.*|crawl_jobs.*|page_audits.*)"  // V040
            + "|column public\\.job_stages\\.operator_tuned|function public\\.(jobs_retry_tuned|jobs_retry_tuned_stages|job_stages_retry_tuned)\\(\\)"
            + "|trigger public\\.(jobs|job_stages)\\.(jobs_retry_tuned|jobs_retry_tuned_stages|job_stages_retry_tuned)"  // R__job_tuning
            + "|rows (content_stage_config|queues|stage_slots|pipelines)"        // V040: the pageperfect queue's rows
            + "|function public\\.get_pageperfect_stage_backlog\\(\\)|(relation|column|view) pgmq\\.pageperfect_queue.*"
            // issue 17: priority aging, batches, the generation pipeline's views (V020, R__batches, R__generation)
            + "|column public\\.queues\\.priority_aging_seconds|constraint public\\.queues\\.queues_priority_aging_seconds_check"
            + "|(relation|column|constraint|index|trigger) public\\.generation_batches.*"
            + "|column public\\.jobs\\.batch_id|constraint public\\.jobs\\.jobs_batch_id_fkey|index public\\.jobs_batch_idx"
            + "|index public\\.jobs_newest_first_idx"  // V051: the job list, newest first
            + "|trigger public\\.jobs\\.jobs_batch_counters|trigger public\\.jobs_batch_counters.*"
            + "|function public\\.(batch_job_status_changed|priority_label|generation_stage_weight)\\(.*\\)"
            + "|(relation|column|constraint|index) public\\.callback_deliveries.*"  // V021: completion callbacks
            + "|(relation|column|view) public\\.(generated_pages|generation_queue).*"
            + "|rows (queues|content_stage_config|stage_slots)"  // V020: the generation queue's rows
            + "|(relation|column|constraint|index) public\\.llm_.*"     // V012: the usage ledger, prices, limits
            + "|(column|constraint) public\\.content_stage_config\\.(content_stage_config_)?(llm_|qa_policy).*"  // V012: a model and QA policy per stage
            + "|function public\\.(llm_call_cost|admit_llm_call|job_llm_usage)\\(.*\\)"  // R__llm_usage
            // issue 19 items 7 and 8: Idempotency-Key, a job's completion delivery (V050, R__job_callbacks)
            + "|(relation|column|constraint|index) public\\.idempotency_keys.*"
            + "|column public\\.jobs\\.(callback_url|mail_requester)"
            + "|trigger public\\.jobs\\.jobs_delivery_owed|trigger public\\.jobs_delivery_owed.*"
            + "|function public\\.(job_delivery_summary|job_delivery_owed)\\(.*\\)"
            // issue 20 item 2: index entries per transition (V060)
            + "|relation public\\.(jobs|job_stages)|constraint public\\.job_events\\.job_events_pkey"
            + "|index public\\.(job_events_pkey|job_events_stage_idx|job_events_created_brin|stage_slots_lease_idx)"
            + "|index public\\.jobs_(pipeline_status_idx|pipeline_newest_first_idx|scheduled_due_idx)"
            // issue 20 item 6: autovacuum settings of the hot tables (V080)
            + "|relation public\\.(job_events|job_payloads|queue_archive|stage_slots)"
            // issue 20 item 3: the archive without its job index (V090)
            + "|index public\\.queue_archive_job_idx"));
    assertThat(changed).contains("function public.get_content_stage_backlog()", "view public.content_jobs",
        "view public.content_job_stages");
    assertThat(changed.stream().filter(key -> key.startsWith("column public.content_"))
        .filter(key -> !key.matches("column public\\.content_stage_config\\.(llm_provider|llm_model|qa_policy)"))).isEmpty();
  }

  @Test
  void a_database_whose_history_is_not_the_release_is_refused_and_left_as_it_was() {
    DatabaseAddress older = TestDatabase.newDatabase("layout_older");
    ReleasedSchema.migrate(older, "12");
    assertThatThrownBy(() -> migrate(older)).hasMessageContaining("it ends before V14 (checksum -808416231)")
        .hasMessageContaining("commit b89e50e");

    DatabaseAddress edited = TestDatabase.newDatabase("layout_edited");
    ReleasedSchema.migrate(edited);
    jdbi(edited).useHandle(h -> h.execute("update flyway_schema_history set checksum = 1 where version = '16'"));
    assertThatThrownBy(() -> migrate(edited))
        .hasMessageContaining("it holds V16 (checksum 1) where the release has V16 (checksum 1063816646)");

    assertThat(count(jdbi(edited), "select count(*) from pg_class where relname = 'planperfect_schema_history'")).isZero();
  }

  @Test
  void migrating_again_changes_nothing() {
    DatabaseAddress address = TestDatabase.newDatabase("layout_again");
    migrate(address);
    Map<String, String> once = SchemaCatalog.of(address);
    long applied = count(jdbi(address), "select count(*) from planperfect_schema_history");

    migrate(address);

    assertThat(SchemaCatalog.of(address)).isEqualTo(once);
    assertThat(count(jdbi(address), "select count(*) from planperfect_schema_history")).isEqualTo(applied);
  }

  @Test
  void the_shared_test_database_was_upgraded_from_the_release_exactly_when_the_build_asks_for_it() {
    long baselines = count(TestDatabase.jdbi(), "select count(*) from planperfect_schema_history where type = 'BASELINE'");
    assertThat(baselines).isEqualTo(Boolean.getBoolean(ReleasedSchema.UPGRADED_DATABASE_PROPERTY) ? 1 : 0);
  }

  @Test
  void claim_stage_messages_is_gone() {
    assertThat(count(TestDatabase.jdbi(), "select count(*) from pg_proc where proname = 'claim_stage_messages'")).isZero();
  }

  @Test
  void the_seeded_scheduler_jobs_are_those_initialize_scheduler_restores() {
    DatabaseAddress address = TestDatabase.newDatabase("layout_scheduler");
    migrate(address);
    String seeded = SchemaCatalog.of(address).get("rows scheduler_jobs");

    jdbi(address).useHandle(h -> h.execute("delete from scheduler_jobs; select count(*) from initialize_scheduler();"));

    assertThat(SchemaCatalog.of(address).get("rows scheduler_jobs")).isEqualTo(seeded);
  }

  @Test
  void versioned_files_create_no_function_view_or_trigger_and_are_numbered_with_three_digits() {
    Pattern routine = Pattern.compile("(?i)\\bcreate\\s+(or\\s+replace\\s+)?(function|procedure|view|trigger)\\b");
    for (Path file : files("V")) {
      assertThat(file.getFileName().toString()).matches("V\\d{3}__[a-z0-9_]+\\.sql");
      assertThat(routine.matcher(read(file)).find()).as("%s creates a function, view or trigger", file.getFileName()).isFalse();
    }
    for (Path file : files("R__")) {
      assertThat(file.getFileName().toString()).matches("R__[a-z0-9_]+\\.sql");
    }
  }

  private static void migrate(DatabaseAddress address) {
    try (Database database = Database.connect(address, 2)) {
      database.migrate();
    }
  }

  private static Jdbi jdbi(DatabaseAddress address) {
    return Jdbi.create(address.jdbcUrl(), address.user(), address.password());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static Path[] files(String prefix) {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toArray(Path[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(SchemaLayoutTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
