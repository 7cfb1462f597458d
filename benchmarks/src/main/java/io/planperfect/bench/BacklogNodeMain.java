package io.planperfect.bench;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The node of {@link BacklogHarness} in a child JVM (so its RSS is the node's alone): the six
 * {@link BenchPipeline} stages with instant handlers that record nothing, settings from the
 * environment. Prints {@code READY <port>} once its loops run and stops at end of standard input.
 */
public final class BacklogNodeMain {
  private BacklogNodeMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnvironment(System.getenv());
    PlanPerfectNode node = PlanPerfectNode.start(settings, BacklogHarness.registry(), NodeOptions.serve(Map.of()));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    // why: the harness closes our standard input to stop us, and a harness killed by Ctrl-C does too.
    while (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() != null) {
      // nothing to do per line
    }
    System.exit(0);
  }
}
