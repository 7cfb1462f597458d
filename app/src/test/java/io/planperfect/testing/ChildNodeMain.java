package io.planperfect.testing;

import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import java.time.Duration;
import java.util.List;

/**
 * A node in a child JVM for crash tests: configured from the environment like serve, with every
 * content stage slowed by the given milliseconds so that a kill lands mid-stage.
 */
public final class ChildNodeMain {
  public static void main(String[] args) throws InterruptedException {
    Duration delay = Duration.ofMillis(Long.parseLong(args[0]));
    Settings settings = Settings.fromEnvironment(System.getenv()).withListen("127.0.0.1", 0);
    var pipeline = new CountingPipelines().wrap(ContentPipeline.definition(), delay);
    PlanPerfectNode node = PlanPerfectNode.start(settings, new PipelineRegistry(List.of(pipeline)));
    // why: SIGTERM must drain like `serve` does (stop claiming, finish within grace, release the rest).
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
