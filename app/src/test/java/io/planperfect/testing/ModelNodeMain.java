package io.planperfect.testing;

import io.planperfect.PlanPerfectNode;
import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import java.util.List;

/** A node in a child JVM whose content stages call the model its environment names, as {@code serve} does. */
public final class ModelNodeMain {
  public static void main(String[] args) throws InterruptedException {
    Settings settings = Settings.fromEnvironment(System.getenv()).withListen("127.0.0.1", 0);
    var content = ContentPipeline.definition(new Models(LlmSettings.fromEnvironment(System.getenv())));
    PlanPerfectNode node = PlanPerfectNode.start(settings, new PipelineRegistry(List.of(content)));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
