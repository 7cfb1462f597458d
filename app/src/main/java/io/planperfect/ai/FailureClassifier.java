package io.planperfect.ai;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.List;

/**
 * Turns whatever a provider client threw into a {@link ModelFailure}: the HTTP status decides
 * (429 rate limited; 5xx, 408 and no connection unavailable; other 4xx rejected), a timeout is a
 * timeout, and every configured key is masked out of the message.
 */
final class FailureClassifier {
  private static final int MAX_MESSAGE = 500;
  private final List<String> keys;

  FailureClassifier(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  ModelFailure classify(String provider, String model, Throwable error) {
    String where = provider + " model " + model + ": ";
    ProviderHttpError http = find(error, ProviderHttpError.class);
    if (http != null) {
      int status = http.statusCode();
      ModelFailure.Kind kind = status == 429 ? ModelFailure.Kind.RATE_LIMITED
          : status >= 500 || status == 408 ? ModelFailure.Kind.UNAVAILABLE
          : ModelFailure.Kind.REJECTED;
      return new ModelFailure(kind, status, http.retryAfter().orElse(null),
          redact(where + "HTTP " + status + " " + String.valueOf(http.getMessage())));
    }
    if (find(error, HttpTimeoutException.class) != null || find(error, dev.langchain4j.exception.TimeoutException.class) != null) {
      return new ModelFailure(ModelFailure.Kind.TIMEOUT, 0, null, redact(where + "no answer within the timeout"));
    }
    if (find(error, ConnectException.class) != null) {
      return new ModelFailure(ModelFailure.Kind.UNAVAILABLE, 0, null, redact(where + "cannot connect: " + error.getMessage()));
    }
    return new ModelFailure(ModelFailure.Kind.UNAVAILABLE, 0, null, redact(where + error));
  }

  /** The text with every configured key replaced by {@code ***}, cut to a readable length. */
  String redact(String text) {
    String redacted = text;
    for (String key : keys) {
      redacted = redacted.replace(key, "***");
    }
    return redacted.length() > MAX_MESSAGE ? redacted.substring(0, MAX_MESSAGE) + "…" : redacted;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
