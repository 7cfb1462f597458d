package io.planperfect.faults;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.cli.NodeLifecycle;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.engine.StageAttempt;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.engine.StageHooks;
import io.planperfect.stages.content.ContentPipeline;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node in a child JVM for the fault tests: configured from the environment like serve, every
 * content stage wrapped to sleep a random {@code minMillis..maxMillis} and to record its start and
 * end in the attempt ledger. Payload hooks: {@code "poison": true} halts the JVM in the research
 * stage (after {@code POISON_DELAY_MILLIS}); {@code "research_attempt_ms": [a, b, ...]} makes attempt
 * 1 of research sleep a ms, attempt 2 b ms, and so on (work in flight for the SIGTERM test, zombie
 * runs that outlive their lease); attempts past the list sleep the usual random time.
 *
 * <p>Targeted kills (R2): with {@code FAULT_PAUSE_AT=<point>} the {@code FAULT_PAUSE_AFTER}-th run
 * (default 1) to reach that point prints {@code FAULT-POINT <point> <job> <stage> <epoch ms>} and stops there
 * for good, so the test can SIGKILL the JVM at exactly that moment. Points: the engine's
 * {@link StageHooks.Point}s, and {@code MID_STAGE} (halfway through the handler's sleep) and
 * {@code SIDE_EFFECT_DONE} (the handler's work and its ledger row done, its result not yet
 * stored), both in the handler below.
 *
 * <p>Arguments: minMillis maxMillis.
 */
public final class FaultNodeMain {
  static final long POISON_DELAY_MILLIS = 1_500;

  public static void main(String[] args) throws Exception {
    long min = Long.parseLong(args[0]);
    long max = Long.parseLong(args[1]);
    Settings settings = Settings.fromEnvironment(System.getenv()).withListen("127.0.0.1", 0);
    AttemptLedger ledger = new AttemptLedger(System.getenv("PLANPERFECT_DB_URL"), System.getenv("PLANPERFECT_DB_USER"),
        System.getenv("PLANPERFECT_DB_PASSWORD"));
    PauseAt pause = PauseAt.fromEnvironment();
    PipelineDefinition content = ContentPipeline.definition();
    PipelineDefinition wrapped = content.withStages(
        content.stages().stream().map(s -> s.withHandler(ledgered(s.handler(), ledger, min, max, pause))).toList());
    NodeLifecycle lifecycle = new NodeLifecycle();
    PlanPerfectNode node = lifecycle.start(() -> PlanPerfectNode.start(settings, new PipelineRegistry(List.of(wrapped)),
        NodeOptions.serve(System.getenv()).withHooks((point, attempt) -> pause.reached(point.name(), attempt))));
    System.out.println("READY " + node.port());
    System.out.flush();
    lifecycle.awaitStop();
  }

  private static StageHandler ledgered(StageHandler handler, AttemptLedger ledger, long min, long max, PauseAt pause) {
    return context -> {
      long id = ledger.started(context.jobId(), context.stage(), context.attempt());
      boolean research = context.stage().equals("research");
      if (research && context.jobPayload().path("poison").asBoolean(false)) {
        // why the delay: runs claimed together with the poison run finish first, so the crash
        // does not keep taking the same innocent runs down with it.
        Thread.sleep(POISON_DELAY_MILLIS);
        Runtime.getRuntime().halt(1);
      }
      var planned = context.jobPayload().path("research_attempt_ms").path(context.attempt() - 1);
      long sleep = research && planned.isNumber() ? planned.asLong() : ThreadLocalRandom.current().nextLong(min, max + 1);
      Thread.sleep(sleep / 2);
      pause.reached("MID_STAGE", context.jobId(), context.stage());
      Thread.sleep(sleep - sleep / 2);
      var result = handler.run(context);
      ledger.finished(id);
      pause.reached("SIDE_EFFECT_DONE", context.jobId(), context.stage());
      return result;
    };
  }

  /** The one moment this node stops at for good, if the test named one. */
  private record PauseAt(String point, int after, AtomicInteger reached) {
    static PauseAt fromEnvironment() {
      String point = System.getenv().getOrDefault("FAULT_PAUSE_AT", "");
      return new PauseAt(point, Integer.parseInt(System.getenv().getOrDefault("FAULT_PAUSE_AFTER", "1")), new AtomicInteger());
    }

    void reached(String at, StageAttempt attempt) {
      reached(at, attempt.jobId(), attempt.stage());
    }

    void reached(String at, UUID job, String stage) {
      if (!at.equals(point) || reached.incrementAndGet() != after) {
        return;
      }
      System.out.println("FAULT-POINT " + at + " " + job + " " + stage + " " + System.currentTimeMillis());
      System.out.flush();
      while (true) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          // why: an interrupt (a stage timeout) must not let the run go on past its point
        }
      }
    }
  }
}
