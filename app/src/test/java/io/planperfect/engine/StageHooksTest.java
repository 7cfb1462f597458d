package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transition commits by itself (one call, no transaction held open from the node) unless the
 * node's hooks step in before its commit: hooks that only note the commit (the SSE benchmark's clock)
 * see the path production runs.
 */
class StageHooksTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(EngineParts.instantStage("a"), EngineParts.instantStage("b")));

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void hooks_that_watch_the_uncommitted_moment_are_called_there_before_the_commit() {
    List<StageHooks.Point> seen = complete(new Noting(true));

    assertThat(seen).containsExactly(StageHooks.Point.RESULT_UNCOMMITTED, StageHooks.Point.RESULT_COMMITTED);
  }

  @Test
  void hooks_that_only_note_the_commit_leave_the_transition_to_commit_by_itself() {
    List<StageHooks.Point> seen = complete(new Noting(false));

    assertThat(seen).containsExactly(StageHooks.Point.RESULT_COMMITTED);
    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'a' and status = 'completed'")).isEqualTo(1);
  }

  /** Claims and completes stage a of a waiting job with these hooks; the moments they were called at. */
  private static List<StageHooks.Point> complete(Noting hooks) {
    WaitingJobs.submit(PIPELINE, 1);
    try (EngineParts parts = new EngineParts(PIPELINE)) {
      parts.transitions(NextStageRunners.NONE, hooks).complete(parts.claimOne("a"), Json.object().put("a", true));
    }
    return hooks.seen;
  }

  /** Hooks that note the moments they are called at. */
  private static final class Noting implements StageHooks {
    private final boolean watchesUncommitted;
    final List<Point> seen = new CopyOnWriteArrayList<>();

    Noting(boolean watchesUncommitted) {
      this.watchesUncommitted = watchesUncommitted;
    }

    @Override
    public void reached(Point point, StageAttempt attempt) {
      seen.add(point);
    }

    @Override
    public boolean watchesUncommitted() {
      return watchesUncommitted;
    }
  }
}
