package io.planperfect.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class DurabilityCheckTest {

  @Test
  void a_server_with_fsync_off_is_refused_with_the_reason() {
    // The test server runs with fsync and synchronous_commit off.
    assertThat(DurabilityCheck.problems(TestDatabase.jdbi()))
        .contains("fsync is off (must be on)", "synchronous_commit is off (must be on)");
    assertThatThrownBy(() -> DurabilityCheck.require(TestDatabase.jdbi(), false))
        .hasMessageContaining("refusing to start").hasMessageContaining("fsync is off");
  }

  @Test
  void the_flag_for_tests_lets_an_unsafe_server_through() {
    DurabilityCheck.require(TestDatabase.jdbi(), true);
  }

  @Test
  void an_unlogged_queue_table_is_reported() {
    TestDatabase.jdbi().useHandle(h -> h.execute("alter table stage_slots set unlogged"));
    try {
      assertThat(DurabilityCheck.problems(TestDatabase.jdbi())).contains("table stage_slots is not logged");
    } finally {
      TestDatabase.jdbi().useHandle(h -> h.execute("alter table stage_slots set logged"));
    }
  }

  @Test
  void the_embedded_server_of_serve_is_durable() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pp-durable");
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir);
         Database database = Database.connect(server.address(), 2)) {
      database.migrate();

      assertThat(DurabilityCheck.problems(database.jdbi())).isEmpty();
    }
  }
}
