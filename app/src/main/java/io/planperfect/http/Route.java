package io.planperfect.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;
import java.util.Set;

/**
 * One route of the API: method and path, the keys that may call it (none for a public route), the
 * audience it serves, a one-line summary for the API's documentation, and its handler.
 */
public record Route(HandlerType method, String path, Set<Access> access, Audience audience, String summary,
    Handler handler) {
  /** No key needed. */
  public static final Set<Access> PUBLIC = Set.of();
  /** The anon key or the service key. */
  public static final Set<Access> ANY_KEY = Set.of(Access.ANON, Access.SERVICE);
  /** The service key only. */
  public static final Set<Access> SERVICE_KEY = Set.of(Access.SERVICE);

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    access = Set.copyOf(Objects.requireNonNull(access, "access of " + path));
    Objects.requireNonNull(audience, "audience of " + path);
    if (summary == null || summary.isBlank()) {
      throw new IllegalArgumentException("route " + method + " " + path + " has no summary");
    }
    Objects.requireNonNull(handler, "handler of " + path);
  }

  /** "GET /api/v1/jobs/{id}": what no two routes may share. */
  public String key() {
    return method.name() + " " + path;
  }
}
