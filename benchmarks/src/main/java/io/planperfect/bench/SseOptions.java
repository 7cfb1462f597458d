package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The SSE latency harness's command line: which scenarios, how many clients, how many idle streams
 * for the memory and thread count, the heavy run that finds capacity, the paced runs' length, an
 * optional stage filter on the firehose clients' stream, and whether the clients run in a JVM of
 * their own. Node and pgbench settings as the pipeline harness's.
 */
record SseOptions(List<String> scenarios, List<Integer> clients, int connected, int measuredAmongJobs, int quiet,
    int idleStreams, String stageFilter, boolean clientsJvm, PipelineOptions pipeline) {

  /** The named scenarios, in the order they run. */
  static final List<String> SCENARIOS = List.of("firehose", "jobs", "mixed", "stage");

  static final String USAGE = """
      usage: ./bench sse [--scenarios firehose,jobs,mixed,stage] [--clients 10] [--connected 500] [--quiet N]
                         [--idle-streams N] [--stage STAGE] [--clients-jvm] [--heavy-jobs N]
                         [--paced-seconds N] [--paced-rate N] [--stage-concurrency N] [--pgbench-seconds N]
                         [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --scenarios          which runs, each at 0.8 x capacity (default all four, in this order):
                               firehose  N clients of GET /api/v1/stream?pipeline=content[&stage=STAGE]
                                         for each N of --clients (and --quiet streams beside them)
                               jobs      every job as it is submitted gets a client of its own
                                         GET /api/v1/jobs/{id}/stream, up to --connected open at once
                               mixed     10 firehose clients measured among --connected: the rest on job streams
                               stage     --connected firehose clients of one stage (--stage, default complete)
        --clients            firehose clients of each firehose run, comma-separated (default 10)
        --connected          the clients of the jobs, mixed and stage scenarios (default 500)
        --quiet              more streams kept open during each firehose run that receive nothing (a
                             pipeline no job has): N connected, the measured clients among them (default 0)
        --idle-streams       streams opened at once to count the node's threads and heap (default 1000)
        --stage              only this stage's changes on the firehose clients' stream (default: all six
                             stages; the stage scenario's default: complete)
        --clients-jvm        the clients in a JVM of their own (default: the node's JVM)
        --heavy-jobs         jobs of the overload run that measures capacity (default 2000)
        --paced-seconds      length of each measured run at 0.8 x capacity (default 20)
        --paced-rate         jobs/s of the measured runs instead of 0.8 x capacity
      Before the first scenario, 8 s of streams at the paced rate (not recorded). A scenario that builds a
      backlog (over capacity with its streams open) runs again at 0.8 x the rate it sustained (not with
      --paced-rate).""";

  static SseOptions parse(String[] args) {
    List<String> scenarios = SCENARIOS;
    List<Integer> clients = List.of(10);
    int connected = 500;
    int idle = 1_000;
    int quiet = 0;
    String stage = null;
    boolean clientsJvm = false;
    int heavy = 2_000;
    int pacedSeconds = 20;
    OptionalDouble pacedRate = OptionalDouble.empty();
    int concurrency = 8;
    int pgbenchSeconds = 15;
    DatabaseOptions db = new DatabaseOptions();
    List<String> valued = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--clients-jvm")) {
        clientsJvm = true;
      } else {
        valued.add(arg);
      }
    }
    for (var option : OptionArgs.pairs(valued.toArray(String[]::new), USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--scenarios" -> scenarios = scenarios(value);
        case "--clients" -> clients = OptionArgs.counts(name, value);
        case "--connected" -> connected = OptionArgs.positive(name, value);
        case "--idle-streams" -> idle = OptionArgs.positive(name, value);
        case "--quiet" -> quiet = OptionArgs.positive(name, value);
        case "--stage" -> stage = value;
        case "--heavy-jobs" -> heavy = OptionArgs.positive(name, value);
        case "--paced-seconds" -> pacedSeconds = OptionArgs.positive(name, value);
        case "--paced-rate" -> pacedRate = OptionalDouble.of(OptionArgs.positive(name, value));
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbenchSeconds = OptionArgs.positive(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    if (stage != null && !BenchPipeline.STAGES.contains(stage)) {
      throw new IllegalArgumentException("--stage must be one of " + BenchPipeline.STAGES + ", got '" + stage + "'");
    }
    int measuredAmongJobs = 10;
    if (scenarios.contains("mixed") && connected <= measuredAmongJobs) {
      throw new IllegalArgumentException("--connected must be more than the mixed scenario's " + measuredAmongJobs
          + " measured firehose clients, got " + connected);
    }
    Optional<DatabaseAddress> database = db.address();
    return new SseOptions(scenarios, clients, connected, measuredAmongJobs, quiet, idle, stage, clientsJvm,
        new PipelineOptions(0, heavy, 4, pacedRate, pacedSeconds, concurrency, pgbenchSeconds, database));
  }

  private static List<String> scenarios(String value) {
    List<String> names = new ArrayList<>();
    for (String part : value.split(",")) {
      String name = part.trim();
      if (!SCENARIOS.contains(name)) {
        throw new IllegalArgumentException("--scenarios takes names of " + SCENARIOS + ", got '" + name + "'");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }
}
