package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node sends its work announcements by NOTIFY only while another node listens on the channel: a
 * lone node's announcement wakes its own loop once, not a second time by the echo of its own NOTIFY.
 */
class LoneNodeAnnouncementTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void a_lone_node_wakes_its_own_stage_once_and_sends_no_notification() throws Exception {
    WorkSignals node = new WorkSignals();
    WakeSignal research = node.forStage("content", "research");
    try (NotificationListener listener = new NotificationListener(TestDatabase.address(), node);
         WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), node)) {
      listener.start();
      await().atMost(WAIT).until(() -> !announcer.notifiesOthers());
      // the listener's wake-up of every stage when it connected, awaited: it may come a while after its LISTEN
      assertThat(research.await(WAIT)).isTrue();

      announcer.announce("content", "research");

      assertThat(research.await(Duration.ofSeconds(5))).isTrue();
      // why wait: with a NOTIFY sent, this node's own listener would signal the stage again by now
      assertThat(research.await(Duration.ofMillis(500))).isFalse();
    }
  }

  @Test
  void once_another_node_listens_an_announcement_reaches_it_by_notification() throws Exception {
    WorkSignals node = new WorkSignals();
    WorkSignals otherNode = new WorkSignals();
    WakeSignal research = otherNode.forStage("content", "research");
    try (NotificationListener listener = new NotificationListener(TestDatabase.address(), node);
         WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), node)) {
      listener.start();
      await().atMost(WAIT).until(() -> !announcer.notifiesOthers());
      try (NotificationListener other = new NotificationListener(TestDatabase.address(), otherNode)) {
        other.start();
        await().atMost(WAIT).until(announcer::notifiesOthers);
        // the other listener's wake-up of every stage when it connected, awaited: else it could pass for the notification
        assertThat(research.await(WAIT)).isTrue();

        announcer.announce("content", "research");

        assertThat(research.await(Duration.ofSeconds(5))).isTrue();
      }
    }
  }
}
