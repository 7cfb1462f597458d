package io.planperfect.ai;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** A provider's non-2xx answer, as {@link ProviderHttpClient} saw it: status, body and its Retry-After. */
final class ProviderHttpError extends HttpException {
  private final Duration retryAfter;

  ProviderHttpError(int status, String body, Duration retryAfter) {
    super(status, body);
    this.retryAfter = retryAfter;
  }

  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
