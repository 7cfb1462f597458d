package io.planperfect.dashboard;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.planperfect.http.Audience;
import io.planperfect.http.Sessions;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dashboard's login wall, in front of every path that is not the API's: without a valid session
 * only the login page and the static files answer (a page redirects to the login); the anon key's
 * session sees the jobs, the generate form and batches (whose API, {@code /api/v1/batches}, takes
 * the anon key too) only; every state-changing request carries the
 * session's CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token}).
 */
final class SessionGate {
  private static final String ATTRIBUTE = "planperfect.session";
  private static final List<String> API_PREFIXES = Arrays.stream(Audience.values())
      .flatMap(a -> a.prefixes().stream()).toList();
  // why "/api/", "/functions/", "/rest/": an unknown path there is the API's to refuse (404 JSON), not a page's
  private static final List<String> OPEN = List.of("/login", "/assets/", "/webjars/", "/api/", "/functions/", "/rest/");
  private static final Pattern ANON_ALLOWED = Pattern.compile(
      "/jobs|/jobs/progress|/jobs/[0-9a-fA-F-]{36}|/jobs/[0-9a-fA-F-]{36}/cancel|/generate|/generate/csv|/generate/batch"
          + "|/batches|/batches/[0-9a-fA-F-]{36}|/batches/[0-9a-fA-F-]{36}/counts|/batches/[0-9a-fA-F-]{36}/cancel|/logout");

  private final Sessions sessions;

  SessionGate(Sessions sessions) {
    this.sessions = sessions;
  }

  /** The session the gate let through (every dashboard page runs after it). */
  static Sessions.Session session(Context ctx) {
    return ctx.attribute(ATTRIBUTE);
  }

  void check(Context ctx) {
    String path = ctx.path();
    if (API_PREFIXES.stream().anyMatch(path::startsWith) || OPEN.stream().anyMatch(path::startsWith)) {
      return;
    }
    Sessions.Session session = sessions.verify(ctx.cookie(Sessions.COOKIE))
        .orElseThrow(() -> new Refusal(401, "log in first"));
    if (!session.isService() && !ANON_ALLOWED.matcher(path).matches()) {
      throw new Refusal(403, "this page needs the service key; the anon key sees jobs, the generate form and batches");
    }
    if (!HandlerType.GET.equals(ctx.method()) && !HandlerType.HEAD.equals(ctx.method())) {
      String token = ctx.header("X-CSRF-Token");
      if (token == null) {
        token = ctx.formParam("_csrf");
      }
      if (!session.acceptsCsrf(token)) {
        throw new Refusal(403, "the form is stale or did not come from this dashboard (missing or wrong CSRF token); reload the page");
      }
    }
    ctx.attribute(ATTRIBUTE, session);
  }
}
