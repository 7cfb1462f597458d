package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.config.Settings;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;

/**
 * The claim and transition parts of the engine for one pipeline, wired as a node wires them
 * against the test database, for tests that claim and complete stages by hand.
 */
final class EngineParts implements AutoCloseable {
  final StageClaims claims;
  private final RetryPolicy retryPolicy;
  private final MessageQueue queue = new MessageQueue(TestDatabase.jdbi());
  private final WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), new WorkSignals());

  EngineParts(PipelineDefinition pipeline) {
    Settings settings = TestNode.settings();
    retryPolicy = RetryPolicy.of(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay());
    claims = new StageClaims(TestDatabase.jdbi(), new PipelineRegistry(List.of(pipeline)), retryPolicy, JobChangeSignal.NONE);
  }

  /** A stage whose handler answers {@code {"<name>": true}} at once. */
  static StageDefinition instantStage(String name) {
    return new StageDefinition(name, context -> StageOutcome.completed(Json.object().put(name, true)));
  }

  /** Claims one attempt of {@code stage} (30 s visibility) of the queue "content"; fails unless exactly one was ready. */
  StageAttempt claimOne(String stage) {
    List<StageAttempt> attempts = claims.claim("content", stage, Duration.ofSeconds(30), 1, null, false).attempts();
    if (attempts.size() != 1) {
      throw new AssertionError("expected one attempt of " + stage + " claimed, got " + attempts.size());
    }
    return attempts.get(0);
  }

  /** Transitions that hand the next stage to {@code runners} (NextStageRunners.NONE: never chain). */
  StageTransitions transitions(NextStageRunners runners) {
    return transitions(runners, StageHooks.NONE);
  }

  /** As {@link #transitions(NextStageRunners)}, stepping into the named moments with {@code hooks}. */
  StageTransitions transitions(NextStageRunners runners, StageHooks hooks) {
    return new StageTransitions(TestDatabase.jdbi(), new JobRepository(), queue, announcer, retryPolicy, claims, runners,
        hooks, JobChangeSignal.NONE);
  }

  DeadLetters deadLetters() {
    return new DeadLetters(TestDatabase.jdbi(), new JobRepository(), queue, announcer, JobChangeSignal.NONE);
  }

  @Override
  public void close() {
    announcer.close();
  }
}
