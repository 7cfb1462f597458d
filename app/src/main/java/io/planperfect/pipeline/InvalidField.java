package io.planperfect.pipeline;

/**
 * A job's input refused at intake, naming the field (a JSON path such as {@code payload.title}).
 * The HTTP layer answers it with 400 and stores nothing.
 */
public final class InvalidField extends RuntimeException {
  private final String field;

  public InvalidField(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
