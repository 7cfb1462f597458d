package io.planperfect.bench;

/** The cost harness's command line: how many intakes (each job then makes six stage transitions) and warm-up jobs. */
record CostOptions(int jobs, int warmupJobs, int topStatements) {

  static final String USAGE = """
      usage: ./bench cost [--jobs N] [--warmup-jobs N] [--top N]
        --jobs         intakes measured, one at a time over HTTP; the six stage transitions of each are measured
                       next (default 1000); pgbench -N runs as many transactions on one client
        --warmup-jobs  jobs taken in and finished before anything is measured (default 300)
        --top          statements and frames listed per run (default 12)
      Runs on its own durable embedded PostgreSQL with pg_stat_statements preloaded.""";

  static CostOptions parse(String[] args) {
    int jobs = 1_000;
    int warmup = 300;
    int top = 12;
    for (var option : OptionArgs.pairs(args, USAGE)) {
      String name = option.getKey();
      String value = option.getValue();
      switch (name) {
        case "--jobs" -> jobs = OptionArgs.positive(name, value);
        case "--warmup-jobs" -> warmup = OptionArgs.positive(name, value);
        case "--top" -> top = OptionArgs.positive(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
    }
    return new CostOptions(jobs, warmup, top);
  }
}
