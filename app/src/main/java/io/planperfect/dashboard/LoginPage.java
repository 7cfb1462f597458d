package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.planperfect.http.Sessions;
import java.util.Optional;

/** The login page (an API key in, a signed session cookie out) and the logout. */
final class LoginPage {
  private final Sessions sessions;

  LoginPage(Sessions sessions) {
    this.sessions = sessions;
  }

  void show(Context ctx) {
    page(ctx, 200, null);
  }

  void login(Context ctx) {
    String key = Optional.ofNullable(ctx.formParam("api_key")).map(String::trim).orElse("");
    Optional<String> cookie = sessions.login(key);
    if (cookie.isEmpty()) {
      page(ctx, 401, "That is neither the service key nor the anon key.");
      return;
    }
    ctx.cookie(new Cookie(Sessions.COOKIE, cookie.get(), "/", (int) Sessions.LIFETIME.toSeconds(), secure(ctx), true,
        null, SameSite.STRICT));
    ctx.redirect(sessions.verify(cookie.get()).orElseThrow().isService() ? "/" : "/jobs");
  }

  void logout(Context ctx) {
    ctx.cookie(new Cookie(Sessions.COOKIE, "", "/", 0, secure(ctx), true, null, SameSite.STRICT));
    ctx.redirect("/login?notice=" + java.net.URLEncoder.encode("Logged out.", java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Secure when the browser reached us over HTTPS (directly or through a proxy that says so). */
  private static boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  private static void page(Context ctx, int status, String error) {
    String notice = ctx.queryParam("notice");
    ctx.status(status).contentType("text/html; charset=utf-8").result("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Log in · PlanPerfect</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
        <body class="login"><main>
        <h1>PlanPerfect</h1>
        %s%s
        <form method="post" action="/login" id="login">
          <label for="api_key">API key</label>
          <input type="password" id="api_key" name="api_key" autocomplete="current-password" required autofocus>
          <p class="hint">The service key opens everything; the anon key opens the jobs and the generate form.</p>
          <button type="submit">Log in</button>
        </form></main></body></html>
        """.formatted(
        error == null ? "" : "<p class=\"flash error\" role=\"alert\">" + e(error) + "</p>",
        notice == null ? "" : "<p class=\"flash notice\">" + e(notice) + "</p>"));
  }
}
