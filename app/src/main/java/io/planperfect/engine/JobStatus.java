package io.planperfect.engine;

import java.util.Locale;

/** A job's status, as stored in jobs.status; {@code SCHEDULED} jobs wait, without a message, for their scheduled_at. */
public enum JobStatus {
  SCHEDULED, QUEUED, PROCESSING, COMPLETED, FAILED, CANCELLED;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobStatus of(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** Finished jobs take no more work; their leftover messages are archived unprocessed. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
