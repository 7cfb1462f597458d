package io.planperfect.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code watch ID}: a bar per stage until the job ends; exit 0 completed, 3 failed, 4 cancelled. */
@Command(name = "watch", description = "Follow a job on a running server until it ends, with a progress bar per stage. "
    + "Exit status: 0 completed, 3 failed (dead-lettered), 4 cancelled, 1 error.")
final class WatchCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id.")
  String jobId;

  @Option(names = "--interval", description = "Polling interval in milliseconds, when the server has no event stream. "
      + "Default: ${DEFAULT-VALUE}", defaultValue = "500")
  long intervalMillis;

  @Override
  public Integer call() throws InterruptedException {
    return new JobWatcher(server.client(), server.json, Duration.ofMillis(intervalMillis)).watch(jobId);
  }
}
