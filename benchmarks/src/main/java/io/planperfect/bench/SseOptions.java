package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The SSE latency harness's command line: how many clients per measured run, how many idle streams
 * for the memory and thread count, the heavy run that finds capacity, the paced runs' length, an
 * optional stage filter on the clients' stream. Node and pgbench settings as the pipeline harness's.
 */
record SseOptions(List<Integer> clients, int quiet, int idleStreams, String stageFilter, PipelineOptions pipeline) {

  static final String USAGE = """
      usage: ./bench sse [--clients 10,500] [--quiet N] [--idle-streams N] [--stage STAGE] [--heavy-jobs N]
                         [--paced-seconds N] [--paced-rate N] [--stage-concurrency N] [--pgbench-seconds N]
                         [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --clients            connected clients of each measured run, comma-separated (default 10,500);
                             each reads GET /api/v1/stream?pipeline=content[&stage=STAGE]
        --quiet              more streams kept open during each measured run that receive nothing (a
                             pipeline no job has): N connected, the measured clients among them (default 0)
        --idle-streams       streams opened at once to count the node's threads and heap (default 1000)
        --stage              only this stage's changes on the clients' streams (default: all six stages)
        --heavy-jobs         jobs of the overload run that measures capacity (default 2000)
        --paced-seconds      length of each measured run at 0.8 x capacity (default 20)
        --paced-rate         jobs/s of the measured runs instead of 0.8 x capacity""";

  static SseOptions parse(String[] args) {
    List<Integer> clients = List.of(10, 500);
    int idle = 1_000;
    int quiet = 0;
    String stage = null;
    int heavy = 2_000;
    int pacedSeconds = 20;
    OptionalDouble pacedRate = OptionalDouble.empty();
    int concurrency = 8;
    int pgbenchSeconds = 15;
    String url = null;
    String user = "postgres";
    String password = "";
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--clients" -> clients = OptionArgs.counts(name, value);
        case "--idle-streams" -> idle = OptionArgs.positive(name, value);
        case "--quiet" -> quiet = OptionArgs.positive(name, value);
        case "--stage" -> stage = value;
        case "--heavy-jobs" -> heavy = OptionArgs.positive(name, value);
        case "--paced-seconds" -> pacedSeconds = OptionArgs.positive(name, value);
        case "--paced-rate" -> pacedRate = OptionalDouble.of(OptionArgs.positive(name, value));
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbenchSeconds = OptionArgs.positive(name, value);
        case "--db-url" -> url = value;
        case "--db-user" -> user = value;
        case "--db-password" -> password = value;
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    if (stage != null && !BenchPipeline.STAGES.contains(stage)) {
      throw new IllegalArgumentException("--stage must be one of " + BenchPipeline.STAGES + ", got '" + stage + "'");
    }
    Optional<DatabaseAddress> database = url == null ? Optional.empty() : Optional.of(new DatabaseAddress(url, user, password));
    return new SseOptions(clients, quiet, idle, stage,
        new PipelineOptions(0, heavy, 4, pacedRate, pacedSeconds, concurrency, pgbenchSeconds, database));
  }
}
