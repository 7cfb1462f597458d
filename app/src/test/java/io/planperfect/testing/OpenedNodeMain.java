package io.planperfect.testing;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A node in a child JVM that opens (database, migrations, HTTP bound) and prints {@code READY <port>},
 * then starts its loops only when the test writes a line on its standard input: the test sees the
 * node between the two, as a node restarted over a deep backlog is while its loops start.
 */
public final class OpenedNodeMain {
  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnvironment(System.getenv()).withListen("127.0.0.1", 0);
    PlanPerfectNode node = PlanPerfectNode.open(settings, new PipelineRegistry(List.of(ContentPipeline.definition())),
        NodeOptions.serve(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
    System.out.println("READY " + node.port());
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    node.startLoops();
    System.out.println("LOOPS STARTED");
    System.out.flush();
    Thread.currentThread().join();
  }
}
