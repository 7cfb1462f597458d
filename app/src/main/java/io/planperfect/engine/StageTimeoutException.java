package io.planperfect.engine;

import java.time.Duration;

/** A stage run that outlived its timeout and was interrupted; counted as a failed attempt. */
public final class StageTimeoutException extends RuntimeException {
  public StageTimeoutException(String stage, Duration timeout) {
    super("stage " + stage + " ran longer than its timeout of " + timeout.toSeconds() + " s");
  }
}
