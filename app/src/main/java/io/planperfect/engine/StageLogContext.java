package io.planperfect.engine;

import org.slf4j.MDC;

/**
 * The log context of one stage run: {@code job_id}, {@code pipeline}, {@code stage}, {@code attempt}
 * and {@code node} in the MDC of the runner's thread for every line written while it runs (the
 * handler's and the transition's), taken away when it ends so the thread's next run starts clean.
 * The JSON log format writes them as fields; the text format leaves them out.
 */
final class StageLogContext implements AutoCloseable {
  static final String JOB_ID = "job_id";
  static final String PIPELINE = "pipeline";
  static final String STAGE = "stage";
  static final String ATTEMPT = "attempt";
  static final String NODE = "node";

  private StageLogContext() {}

  static StageLogContext enter(StageAttempt attempt, String node) {
    MDC.put(JOB_ID, String.valueOf(attempt.jobId()));
    MDC.put(PIPELINE, attempt.pipeline().name());
    MDC.put(STAGE, attempt.stage());
    MDC.put(ATTEMPT, Integer.toString(attempt.attempt()));
    MDC.put(NODE, node);
    return new StageLogContext();
  }

  @Override
  public void close() {
    MDC.remove(JOB_ID);
    MDC.remove(PIPELINE);
    MDC.remove(STAGE);
    MDC.remove(ATTEMPT);
    MDC.remove(NODE);
  }
}
