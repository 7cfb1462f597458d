package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueAdminArchiveTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final MessageQueue queue = new MessageQueue(jdbi);
  private final QueueAdmin admin = new QueueAdmin(jdbi);

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private UUID job() {
    return jdbi.withHandle(h -> h.createQuery("insert into jobs (pipeline, job_type) values ('content', 'article') returning id")
        .mapTo(UUID.class).one());
  }

  private void sendAndArchive(UUID job, String stage) {
    jdbi.useTransaction(h -> queue.send(h, "content", stage, job, Json.object(), SendOptions.NOW));
    queue.claimAndArchive("content", Optional.of(stage), Duration.ofSeconds(30), 1);
  }

  @Test
  void the_archive_of_a_job_lists_every_archived_message_of_that_job_and_no_other() {
    UUID mine = job();
    UUID other = job();
    sendAndArchive(mine, "research");
    sendAndArchive(other, "research");
    sendAndArchive(mine, "outline");

    assertThat(admin.archived("content", Optional.of(mine), 100))
        .extracting(ArchivedMessage::stage).containsExactly("outline", "research");
  }
}
