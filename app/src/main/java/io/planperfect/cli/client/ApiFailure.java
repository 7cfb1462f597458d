package io.planperfect.cli.client;

/**
 * A call to the server that did not succeed, as one line for a person: the server's own error
 * (its message, the field it names and the HTTP status), or why the server could not be reached.
 */
public final class ApiFailure extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;

  ApiFailure(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  static ApiFailure unreachable(String url, Exception cause) {
    String reason = cause instanceof java.net.ConnectException ? "connection refused"
        : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    ApiFailure failure = new ApiFailure(0, "unreachable", "cannot reach PlanPerfect at " + url + " (" + reason
        + "): is './planperfect serve' running there? (--url or PLANPERFECT_URL)", null);
    failure.initCause(cause);
    return failure;
  }

  /** The HTTP status, or 0 when the server was not reached. */
  public int status() {
    return status;
  }

  /** The server's error code ({@code invalid_request}, {@code not_found}, ...). */
  public String code() {
    return code;
  }

  /** The field the server blames, or null. */
  public String field() {
    return field;
  }

  @Override
  public String getMessage() {
    String message = super.getMessage();
    if (status == 0) {
      return message;
    }
    return message + (field == null ? "" : " (field: " + field + ")") + " [HTTP " + status + " " + code + "]";
  }
}
