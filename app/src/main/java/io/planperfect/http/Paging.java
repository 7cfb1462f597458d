package io.planperfect.http;

import io.javalin.http.Context;

/** {@code ?limit=} (1 to 1000, default 100) and {@code ?offset=} (0 or more, default 0) of a paged list. */
final class Paging {
  private Paging() {}

  static int limit(Context ctx) {
    return number(ctx, "limit", 100, 1, 1_000);
  }

  static int offset(Context ctx) {
    return number(ctx, "offset", 0, 0, 10_000_000);
  }

  private static int number(Context ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalid(name, name + " must be an integer from " + min + " to " + max);
  }
}
