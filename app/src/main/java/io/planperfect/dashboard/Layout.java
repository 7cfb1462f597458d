package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import io.javalin.http.Context;
import io.planperfect.http.EventStreams;
import io.planperfect.http.Sessions;
import java.util.List;

/**
 * The page shell: head with the vendored scripts, the navigation (the pages a session may see), the
 * flash message of a redirect ({@code ?notice=} or {@code ?error=}), and the page's body.
 */
final class Layout {
  /** One entry of the navigation; a new page is one more row here. */
  record NavItem(String path, String label, boolean serviceOnly) {}

  static final List<NavItem> NAV = List.of(
      new NavItem("/", "Overview", true),
      new NavItem("/jobs", "Jobs", false),
      new NavItem("/generate", "Generate", false),
      new NavItem("/batches", "Batches", false),
      new NavItem("/dead-letters", "Dead letters", true),
      new NavItem("/scheduler", "Scheduler", true),
      new NavItem("/stages", "Stages", true));

  static final String HTMX = "/webjars/htmx.org/2.0.10/dist/htmx.min.js";
  static final String CHART_JS = "/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

  private Layout() {}

  static void render(Context ctx, String title, String active, String body) {
    render(ctx, title, active, body, false);
  }

  static void render(Context ctx, String title, String active, String body, boolean charts) {
    Sessions.Session session = SessionGate.session(ctx);
    StringBuilder html = new StringBuilder(4096 + body.length());
    html.append("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        """);
    html.append("<title>").append(e(title)).append(" · PlanPerfect</title>\n");
    html.append("<meta name=\"csrf-token\" content=\"").append(e(session.csrfToken())).append("\">\n");
    html.append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">\n");
    html.append("<script src=\"").append(HTMX).append("\"></script>\n");
    if (charts) {
      html.append("<script src=\"").append(CHART_JS).append("\"></script>\n");
    }
    html.append("<script src=\"/assets/dashboard.js\" defer></script>\n</head>\n");
    html.append("<body data-service=\"").append(session.isService())
        .append("\" data-stream-jobs-max=\"").append(EventStreams.MAX_STREAM_JOBS).append("\" hx-headers='{\"X-CSRF-Token\": \"")
        .append(e(session.csrfToken())).append("\"}'>\n<header><span class=\"brand\">PlanPerfect</span><nav>");
    for (NavItem item : NAV) {
      if (item.serviceOnly() && !session.isService()) {
        continue;
      }
      html.append("<a href=\"").append(item.path()).append("\"").append(item.path().equals(active) ? " class=\"active\"" : "")
          .append(">").append(e(item.label())).append("</a>");
    }
    html.append("</nav><span class=\"who\">").append(session.isService() ? "service key" : "anon key").append("</span>")
        .append(Html.button("/logout", "Log out", session.csrfToken(), "link")).append("</header>\n<main>\n");
    html.append("<h1>").append(e(title)).append("</h1>\n");
    flash(ctx, html);
    html.append(body).append("\n</main></body></html>\n");
    ctx.contentType("text/html; charset=utf-8").result(html.toString());
  }

  private static void flash(Context ctx, StringBuilder html) {
    String notice = ctx.queryParam("notice");
    String error = ctx.queryParam("error");
    if (notice != null && !notice.isBlank()) {
      html.append("<p class=\"flash notice\" role=\"status\">").append(e(notice)).append("</p>\n");
    }
    if (error != null && !error.isBlank()) {
      html.append("<p class=\"flash error\" role=\"alert\">").append(e(error)).append("</p>\n");
    }
  }

  /** A redirect after a POST, with a message the next page shows. */
  static void redirect(Context ctx, String path, String kind, String message) {
    String separator = path.contains("?") ? "&" : "?";
    ctx.redirect(path + separator + kind + "=" + java.net.URLEncoder.encode(message, java.nio.charset.StandardCharsets.UTF_8));
  }
}
