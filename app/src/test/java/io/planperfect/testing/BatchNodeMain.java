package io.planperfect.testing;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageOutcome;
import java.util.List;

/**
 * A node in a child JVM for the batch race test: pipeline {@code work} (job_type work, queue content,
 * stages research → outline → draft), each stage sleeping the given milliseconds; a job whose payload
 * says {@code "mode": "fail"} fails permanently at outline, {@code "once"} fails its first outline attempt.
 */
public final class BatchNodeMain {
  public static void main(String[] args) throws InterruptedException {
    long delay = Long.parseLong(args[0]);
    Settings settings = Settings.fromEnvironment(System.getenv()).withListen("127.0.0.1", 0);
    PlanPerfectNode node = PlanPerfectNode.start(settings, new PipelineRegistry(List.of(pipeline(delay))));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  public static PipelineDefinition pipeline(long delay) {
    return new PipelineDefinition("work", "content", List.of("work"), List.of(
        new StageDefinition("research", stage(delay, false)),
        new StageDefinition("outline", stage(delay, true)),
        new StageDefinition("draft", stage(delay, false))));
  }

  private static StageHandler stage(long delay, boolean failing) {
    return context -> {
      Thread.sleep(delay);
      String mode = context.jobPayload().path("mode").asText("ok");
      if (failing && mode.equals("fail")) {
        throw new PermanentStageFailure("this job always fails");
      }
      if (failing && mode.equals("once") && context.attempt() == 1) {
        throw new IllegalStateException("the first attempt fails");
      }
      return StageOutcome.completed(Json.object().put("stage", context.stage()));
    };
  }
}
