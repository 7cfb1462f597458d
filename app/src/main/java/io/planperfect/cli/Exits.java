package io.planperfect.cli;

/** The exit statuses of the commands that talk to a server. */
final class Exits {
  /** Done: the job or batch completed, the call succeeded. */
  static final int OK = 0;
  /** The server refused the call, or could not be reached (the message says which). */
  static final int ERROR = 1;
  /** The job failed (dead-lettered), or the batch finished with failures. */
  static final int FAILED = 3;
  /** The job or batch was cancelled. */
  static final int CANCELLED = 4;

  private Exits() {}
}
