package io.planperfect.dashboard;

/** A dashboard request refused before its page ran: no session, a page the session may not see, a missing CSRF token. */
final class Refusal extends RuntimeException {
  private final int status;

  Refusal(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
