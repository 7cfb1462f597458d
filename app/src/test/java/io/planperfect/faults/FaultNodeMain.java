package io.planperfect.faults;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.engine.PipelineDefinition;
import io.planperfect.engine.Pipelines;
import io.planperfect.engine.StageHandler;
import io.planperfect.stages.content.ContentPipeline;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node in a child JVM for the fault tests: configured from the environment like serve, every
 * content stage wrapped to sleep a random {@code minMillis..maxMillis} and to record its start and
 * end in the attempt ledger. Payload hooks: {@code "poison": true} halts the JVM in the research
 * stage (after {@code POISON_DELAY_MILLIS}); {@code "research_attempt_ms": [a, b, ...]} makes attempt
 * 1 of research sleep a ms, attempt 2 b ms, and so on (work in flight for the SIGTERM test, zombie
 * runs that outlive their lease); attempts past the list sleep the usual random time.
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
    PipelineDefinition content = ContentPipeline.definition();
    PipelineDefinition wrapped = content.withStages(
        content.stages().stream().map(s -> s.withHandler(ledgered(s.handler(), ledger, min, max))).toList());
    PlanPerfectNode node = PlanPerfectNode.start(settings, new Pipelines(List.of(wrapped)));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static StageHandler ledgered(StageHandler handler, AttemptLedger ledger, long min, long max) {
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
      Thread.sleep(research && planned.isNumber() ? planned.asLong() : ThreadLocalRandom.current().nextLong(min, max + 1));
      var result = handler.run(context);
      ledger.finished(id);
      return result;
    };
  }
}
