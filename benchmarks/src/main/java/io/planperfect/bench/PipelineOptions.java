package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The pipeline harness's command line: job counts, submitters, the paced run's rate and length,
 * node concurrency, pgbench length, target server. No paced rate means 0.8 × the heavy run's jobs/s.
 */
record PipelineOptions(int lightJobs, int heavyJobs, int submitters, OptionalDouble pacedRate, int pacedSeconds,
                       int stageConcurrency, int pgbenchSeconds, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench pipeline [--light-jobs N] [--heavy-jobs N] [--submitters N] [--paced-rate N]
                              [--paced-seconds N] [--stage-concurrency N] [--pgbench-seconds N]
                              [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --light-jobs         jobs submitted one at a time, each awaited (default 200)
        --heavy-jobs         jobs submitted as fast as possible (default 2000)
        --submitters         threads submitting the heavy and the paced jobs (default 4)
        --paced-rate         jobs/s of the paced run, released at fixed intervals by one scheduler
                             thread (default 0.8 × the jobs/s the heavy run measured)
        --paced-seconds      length of the paced run's submitting (default 20)
        --stage-concurrency  PLANPERFECT_STAGE_CONCURRENCY of the node (default 8)
        --pgbench-seconds    length of the pgbench -N reference run, 4 clients (default 15)
        --db-url             use this PostgreSQL instead of a durable embedded one in a temp dir;
                             no node may be working its queue 'content', and its content stages'
                             max_concurrency is raised to 50""";

  static PipelineOptions parse(String[] args) {
    int light = 200;
    int heavy = 2_000;
    int submitters = 4;
    OptionalDouble pacedRate = OptionalDouble.empty();
    int pacedSeconds = 20;
    int concurrency = 8;
    int pgbenchSeconds = 15;
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--light-jobs" -> light = OptionArgs.positive(name, value);
        case "--heavy-jobs" -> heavy = OptionArgs.positive(name, value);
        case "--submitters" -> submitters = OptionArgs.positive(name, value);
        case "--paced-rate" -> pacedRate = OptionalDouble.of(positiveRate(name, value));
        case "--paced-seconds" -> pacedSeconds = OptionArgs.positive(name, value);
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbenchSeconds = OptionArgs.positive(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new PipelineOptions(light, heavy, submitters, pacedRate, pacedSeconds, concurrency, pgbenchSeconds, database);
  }

  private static double positiveRate(String name, String value) {
    try {
      double rate = Double.parseDouble(value);
      if (rate > 0 && Double.isFinite(rate)) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(name + " needs a positive number of jobs per second, got '" + value + "'");
  }
}
