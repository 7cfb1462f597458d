package io.planperfect.cli;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.worker.StageFilter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code worker}: a node that only works the named stages (no HTTP), beside serve nodes on one database. */
@Command(name = "worker", description = "Run a worker-only node for chosen stages against PLANPERFECT_DB_URL "
    + "(or the embedded database of a serve running on the same --data-dir).")
final class WorkerCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;

  @Spec CommandSpec spec;

  @Option(names = "--stages", split = ",", description = "Stages to work, e.g. research,draft (default: all)")
  List<String> stages = List.of();

  @Option(names = "--queues", split = ",", description = "Queues to work, e.g. content (default: all)")
  List<String> queues = List.of();

  @Override
  public Integer call() throws InterruptedException {
    PipelineRegistry pipelines = StandardPipelines.all();
    // why: a misspelt name would start a node that works nothing, silently
    requireKnown("--queues", queues, pipelines.all().stream().map(PipelineDefinition::queue).collect(Collectors.toSet()));
    requireKnown("--stages", stages, pipelines.all().stream().flatMap(p -> p.stages().stream()).map(StageDefinition::name)
        .collect(Collectors.toSet()));
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
        PlanPerfectNode.start(nodeSettings, pipelines, NodeOptions.worker(filter, System.getenv())));
    System.out.printf("PlanPerfect worker for queues %s stages %s on %s%n",
        queues.isEmpty() ? "all" : queues, stages.isEmpty() ? "all" : stages, node.databaseAddress().displayUrl());
    lifecycle.awaitStop();
    return ServeCommand.KEEP_RUNNING;
  }

  private void requireKnown(String option, List<String> named, Set<String> known) {
    List<String> unknown = named.stream().filter(name -> !known.contains(name)).toList();
    if (!unknown.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.format("%s: unknown %s (known: %s)", option,
          String.join(", ", unknown), String.join(", ", new TreeSet<>(known))));
    }
  }
}
