package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import io.javalin.http.Context;
import io.planperfect.dispatch.StageBacklog;
import io.planperfect.dispatch.StageConfig;
import io.planperfect.dispatch.StageConfigChange;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.http.Sessions;
import io.planperfect.pipeline.RetrySettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every stage's config (content_stage_config) with its backlog, live: edit max_concurrency and the
 * retry settings, pause or resume. Changes go through {@link StageConfigRepository#update}, as the
 * API's {@code PUT /api/v1/stages/{queue}/{stage}} does; every node sees them at its next claim.
 */
final class StagesPage {
  private final StageConfigRepository configs;

  StagesPage(StageConfigRepository configs) {
    this.configs = configs;
  }

  void show(Context ctx) {
    String table = "<div id=\"stages\" hx-get=\"/stages/table\" hx-trigger=\"every 3s\" hx-swap=\"innerHTML\">"
        + tableHtml(SessionGate.session(ctx)) + "</div>";
    Layout.render(ctx, "Stages", "/stages", "<p class=\"hint\">Limits are cluster-wide: every node claims within them. "
        + "Blank retry fields fall back to the pipeline's definitions and the environment.</p>" + table);
  }

  /** The table alone, for the live refresh. */
  void table(Context ctx) {
    ctx.contentType("text/html; charset=utf-8").result(tableHtml(SessionGate.session(ctx)));
  }

  void update(Context ctx) {
    String queue = ctx.pathParam("queue");
    String stage = ctx.pathParam("stage");
    StageConfig current = configs.find(queue, stage).orElseThrow(() -> new Refusal(404, "no stage " + queue + "/" + stage));
    try {
      StageConfigChange change;
      String toggle = ctx.formParam("enabled");
      if (toggle != null) {
        change = new StageConfigChange(null, null, Boolean.parseBoolean(toggle), false, null, false, null, false, null);
      } else {
        Integer max = number(ctx, "max_concurrency", 0, 10_000);
        Integer attempts = number(ctx, "max_attempts", 1, RetrySettings.MAX_ATTEMPTS_LIMIT);
        Integer delay = number(ctx, "retry_delay_seconds", 0, RetrySettings.MAX_RETRY_DELAY_SECONDS);
        change = new StageConfigChange(max == null ? current.maxConcurrency() : max, null, null, false, null,
            true, attempts, true, delay);
      }
      configs.update(queue, stage, change);
      Layout.redirect(ctx, "/stages", "notice", "Saved " + queue + "/" + stage + ".");
    } catch (IllegalArgumentException e) {
      Layout.redirect(ctx, "/stages", "error", e.getMessage());
    }
  }

  private String tableHtml(Sessions.Session session) {
    Map<String, StageBacklog> backlog = configs.backlog().stream()
        .collect(Collectors.toMap(b -> b.queue() + "/" + b.stage(), Function.identity()));
    StringBuilder html = new StringBuilder("<table class=\"stages\"><thead><tr><th>Queue / stage</th><th>State</th>")
        .append("<th>Ready</th><th>In flight</th><th>Delayed</th><th>Max concurrency</th><th>Max attempts</th>")
        .append("<th>Retry delay (s)</th><th></th><th></th></tr></thead><tbody>");
    for (StageConfig config : configs.list()) {
      String key = config.queue() + "/" + config.stage();
      StageBacklog b = backlog.get(key);
      String form = "stage-" + e(config.queue()) + "-" + e(config.stage());
      html.append("<tr data-stage=\"").append(e(key)).append("\"><td>").append(e(key)).append("</td><td>")
          .append(config.enabled() ? Html.status("running") : Html.status("paused")).append("</td><td>")
          .append(b == null ? 0 : b.readyCount()).append("</td><td class=\"in-flight\">")
          .append(b == null ? 0 : b.inFlightCount()).append(" / ").append(config.maxConcurrency()).append("</td><td>")
          .append(b == null ? 0 : b.delayedCount()).append("</td>")
          .append("<td><input form=\"").append(form).append("\" type=\"number\" name=\"max_concurrency\" min=\"0\" max=\"10000\" value=\"")
          .append(config.maxConcurrency()).append("\" aria-label=\"max concurrency of ").append(e(key)).append("\"></td>")
          .append("<td><input form=\"").append(form).append("\" type=\"number\" name=\"max_attempts\" min=\"1\" value=\"")
          .append(config.maxAttempts() == null ? "" : config.maxAttempts()).append("\" aria-label=\"max attempts\"></td>")
          .append("<td><input form=\"").append(form).append("\" type=\"number\" name=\"retry_delay_seconds\" min=\"0\" value=\"")
          .append(config.retryDelaySeconds() == null ? "" : config.retryDelaySeconds()).append("\" aria-label=\"retry delay\"></td>")
          .append("<td><form method=\"post\" id=\"").append(form).append("\" action=\"/stages/").append(e(key)).append("\">")
          .append(Html.csrf(session.csrfToken())).append("<button type=\"submit\">Save</button></form></td><td>")
          .append("<form method=\"post\" action=\"/stages/").append(e(key)).append("\">").append(Html.csrf(session.csrfToken()))
          .append("<input type=\"hidden\" name=\"enabled\" value=\"").append(!config.enabled()).append("\">")
          .append("<button type=\"submit\">").append(config.enabled() ? "Pause" : "Resume").append("</button></form></td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static Integer number(Context ctx, String field, int min, int max) {
    String text = Optional.ofNullable(ctx.formParam(field)).orElse("").trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
  }
}
