package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.StageFilter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One node of {@link ScaleHarness}, in its own JVM: a real {@link PlanPerfectNode} working the six
 * instant stages of {@link BenchPipeline} (no HTTP), configured by the environment like any node.
 * Prints {@value #READY} once its loops run, and stops (draining) when its standard input closes.
 */
public final class ScaleNode {
  static final String READY = "scale node ready";

  private ScaleNode() {}

  public static void main(String[] args) {
    HarnessLauncher.launch(args, a -> a, ScaleNode::run);
  }

  private static void run(String[] args) {
    Settings settings = Settings.fromEnvironment(System.getenv());
    PipelineRegistry pipelines = new PipelineRegistry(List.of(BenchPipeline.definition(new HandlerClock(BenchPipeline.STAGES))));
    try (PlanPerfectNode node = PlanPerfectNode.start(settings, pipelines, NodeOptions.worker(StageFilter.ALL, Map.of()))) {
      System.out.println(READY);
      System.out.flush();
      awaitEndOfInput(System.in);
    }
  }

  private static void awaitEndOfInput(InputStream in) {
    try {
      while (in.read() != -1) {
        // why: the harness never writes; it closes the stream to stop the node.
      }
    } catch (IOException e) {
      System.err.println("standard input failed, stopping: " + e.getMessage());
    }
  }
}
