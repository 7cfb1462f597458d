package io.planperfect.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.Lease;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.Outgoing;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.SendOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;

/**
 * The measured operations, each one client round trip pattern through the real {@link MessageQueue}.
 * Each returns how many messages it sent or moved to the archive.
 */
final class QueueOperations {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final Optional<String> STAGE = Optional.of(QueueFixture.STAGE);

  private final MessageQueue queue;
  private final ObjectNode payload;

  QueueOperations(Jdbi jdbi) {
    this.queue = new MessageQueue(jdbi);
    this.payload = Json.object().put("title", "Benchmark article");
  }

  /** One message, one statement in autocommit (one round trip): a send outside any caller's transaction. */
  int send() {
    return queue.sendBatch(QueueFixture.QUEUE, List.of(outgoing())).size();
  }

  /** Ten messages in one statement, in autocommit. */
  int sendBatch10() {
    List<Outgoing> batch = IntStream.range(0, 10).mapToObj(i -> outgoing()).toList();
    return queue.sendBatch(QueueFixture.QUEUE, batch).size();
  }

  private Outgoing outgoing() {
    return new Outgoing(QueueFixture.STAGE, UUID.randomUUID(), payload, SendOptions.NOW);
  }

  /** Claims one and archives it in the same transaction: one statement in autocommit (one round trip). */
  int claimAndArchiveOneTx() {
    return queue.claimAndArchive(QueueFixture.QUEUE, STAGE, VISIBILITY, 1).size();
  }

  /** Claims ten and archives those ten in the same transaction: one statement in autocommit. */
  int claim10AndArchive10() {
    return queue.claimAndArchive(QueueFixture.QUEUE, STAGE, VISIBILITY, 10).size();
  }

  /** Claims one, then archives it: two autocommit statements, two commits, as around a stage handler. */
  int claimThenArchiveTwoTx() {
    List<QueueMessage> claimed = queue.claim(QueueFixture.QUEUE, QueueFixture.STAGE, VISIBILITY, 1);
    if (claimed.isEmpty()) {
      return 0;
    }
    return queue.archive(claimed.stream().map(Lease::of).toList()).size();
  }
}
