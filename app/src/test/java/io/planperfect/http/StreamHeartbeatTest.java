package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.json.Json;
import io.planperfect.testing.SseReader;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Heartbeat comments keep idle streams open through proxies, each stream on its own phase. */
class StreamHeartbeatTest {
  private static final double HEARTBEAT_SECONDS = 0.5;
  private PlanPerfectNode node;
  private final List<SseReader> readers = new ArrayList<>();

  @BeforeEach
  void start() {
    TestDatabase.clean();
    PipelineDefinition pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("write", context -> StageOutcome.completed(Json.object()))));
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)),
        Map.of("PLANPERFECT_SSE_HEARTBEAT_SECONDS", Double.toString(HEARTBEAT_SECONDS)));
  }

  @AfterEach
  void stop() {
    readers.forEach(SseReader::close);
    node.close();
  }

  private SseReader quietStream() {
    SseReader reader = SseReader.open(node.port(), "/api/v1/stream?pipeline=nothing-runs-here", node.keys().serviceKey(), Map.of());
    readers.add(reader);
    return reader;
  }

  @Test
  void a_stream_that_receives_nothing_gets_a_heartbeat_comment_every_interval() {
    SseReader reader = quietStream();

    await().atMost(Duration.ofSeconds(10)).until(() -> reader.comments().size() >= 3);
    assertThat(reader.comments()).allMatch(comment -> comment.equals("heartbeat"));
    assertThat(reader.ended()).isFalse();
  }

  @Test
  void streams_opened_together_get_their_heartbeats_at_their_own_times_not_in_one_burst() throws Exception {
    int streams = 30;
    for (int i = 0; i < streams; i++) {
      quietStream();
    }
    // why after they are all open: from then on, each stream's next heartbeat comes at its own phase
    int[] before = new int[streams];
    for (int i = 0; i < streams; i++) {
      before[i] = readers.get(i).comments().size();
    }
    long[] firstAt = new long[streams];
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int seen = 0;
    while (seen < streams && System.nanoTime() < deadline) {
      for (int i = 0; i < streams; i++) {
        if (firstAt[i] == 0 && readers.get(i).comments().size() > before[i]) {
          firstAt[i] = System.nanoTime();
          seen++;
        }
      }
      Thread.sleep(2);
    }
    assertThat(seen).as("streams that got a heartbeat").isEqualTo(streams);

    long spread = java.util.Arrays.stream(firstAt).max().getAsLong() - java.util.Arrays.stream(firstAt).min().getAsLong();
    // why: one timer for every stream would write all thirty comments within a few milliseconds
    assertThat(Duration.ofNanos(spread)).isGreaterThan(Duration.ofMillis((long) (HEARTBEAT_SECONDS * 1000 / 4)));
  }
}
