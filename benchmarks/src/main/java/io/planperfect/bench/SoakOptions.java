package io.planperfect.bench;

import io.planperfect.db.DatabaseAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/** The soak harness's command line: length, rate (default 0.8 × a measured capacity), node, pgbench, output dir. */
record SoakOptions(int minutes, OptionalDouble rate, int capacityJobs, int submitters, int stageConcurrency,
                   int pgbenchSeconds, Path out, Optional<DatabaseAddress> database) {

  static final String USAGE = """
      usage: ./bench soak [--minutes N] [--rate N] [--capacity-jobs N] [--submitters N] [--stage-concurrency N]
                          [--pgbench-seconds N] [--out DIR]
                          [--db-url jdbc:postgresql://host:port/db --db-user U --db-password P]
        --minutes            length of the paced run (default 10; issue 20 asks for 60 on a quiet machine)
        --rate               jobs/s submitted through intake (default 0.8 × the capacity run's jobs/s)
        --capacity-jobs      jobs of the capacity run, submitted as fast as possible (default 3000)
        --submitters         threads submitting (default 4)
        --stage-concurrency  PLANPERFECT_STAGE_CONCURRENCY of the node (default 8)
        --pgbench-seconds    length of the pgbench -N reference run, 4 clients (default 15)
        --out                where soak.csv and soak.svg are written (default benchmarks/target/soak)
        --db-url             use this PostgreSQL instead of a durable embedded one in a temp dir""";

  static SoakOptions parse(String[] args) {
    int minutes = 10;
    OptionalDouble rate = OptionalDouble.empty();
    int capacityJobs = 3_000;
    int submitters = 4;
    int concurrency = 8;
    int pgbench = 15;
    Path out = Path.of("benchmarks", "target", "soak");
    DatabaseOptions db = new DatabaseOptions();
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      if (db.accept(name, value)) {
        continue;
      }
      switch (name) {
        case "--minutes" -> minutes = OptionArgs.positive(name, value);
        case "--rate" -> rate = OptionalDouble.of(rate(name, value));
        case "--capacity-jobs" -> capacityJobs = OptionArgs.positive(name, value);
        case "--submitters" -> submitters = OptionArgs.positive(name, value);
        case "--stage-concurrency" -> concurrency = OptionArgs.positive(name, value);
        case "--pgbench-seconds" -> pgbench = OptionArgs.positive(name, value);
        case "--out" -> out = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    Optional<DatabaseAddress> database = db.address();
    return new SoakOptions(minutes, rate, capacityJobs, submitters, concurrency, pgbench, out, database);
  }

  private static double rate(String name, String value) {
    try {
      double rate = Double.parseDouble(value);
      if (rate > 0 && !Double.isInfinite(rate)) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(name + " needs a positive number of jobs/s, got '" + value + "'");
  }
}
