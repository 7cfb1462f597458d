package io.planperfect.cli;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.worker.StageFilter;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code worker}: a node that only works the named stages (no HTTP), beside serve nodes on one database. */
@Command(name = "worker", description = "Run a worker-only node for chosen stages against PLANPERFECT_DB_URL "
    + "(or the embedded database of a serve running on the same --data-dir).")
final class WorkerCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Option(names = "--stages", split = ",", description = "Stages to work, e.g. research,draft (default: all)")
  List<String> stages = List.of();

  @Option(names = "--queues", split = ",", description = "Queues to work, e.g. content (default: all)")
  List<String> queues = List.of();

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = database.settings();
    if (settings.dbUrl().isEmpty()) {
      DatabaseAddress address = DatabaseConnection.runningEmbedded(settings).orElseThrow(() -> new IllegalStateException(
          "no database: set PLANPERFECT_DB_URL, or start ./planperfect serve with the same --data-dir first"));
      settings = settings.withDatabase(address.jdbcUrl(), address.user(), address.password());
    }
    StageFilter filter = new StageFilter(new HashSet<>(queues), new HashSet<>(stages));
    Settings nodeSettings = settings;
    NodeLifecycle lifecycle = new NodeLifecycle();
    PlanPerfectNode node = lifecycle.start(() ->
        PlanPerfectNode.start(nodeSettings, StandardPipelines.all(), NodeOptions.worker(filter, System.getenv())));
    System.out.printf("PlanPerfect worker for queues %s stages %s on %s%n",
        queues.isEmpty() ? "all" : queues, stages.isEmpty() ? "all" : stages, node.databaseAddress().displayUrl());
    lifecycle.awaitStop();
    return ServeCommand.KEEP_RUNNING;
  }
}
