package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.dispatch.StageBacklog;
import io.planperfect.dispatch.StageConfig;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.engine.ActivityReads;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Per pipeline and stage: ready, in flight out of the limit, delayed, done and dead in the last
 * hour; and the last hour's throughput and handoff latency per minute as charts. The table is
 * re-read when the change feed (SSE, in dashboard.js) reports work, and every 5 s besides.
 */
final class OverviewPage {
  private final PipelineRegistry pipelines;
  private final StageConfigRepository configs;
  private final ActivityReads activity;

  OverviewPage(PipelineRegistry pipelines, StageConfigRepository configs, ActivityReads activity) {
    this.pipelines = pipelines;
    this.configs = configs;
    this.activity = activity;
  }

  void show(Context ctx) {
    String body = """
        <div id="overview" hx-get="/overview/table" hx-swap="innerHTML" hx-trigger="every 5s">%s</div>
        <section class="charts">
          <figure class="card"><figcaption>Throughput, last hour (per minute)</figcaption><canvas id="throughput-chart"></canvas></figure>
          <figure class="card"><figcaption>Handoff latency, last hour (ms, stage done → next stage started)</figcaption><canvas id="latency-chart"></canvas></figure>
        </section>""".formatted(tableHtml());
    Layout.render(ctx, "Overview", "/", body, true);
  }

  void table(Context ctx) {
    ctx.contentType("text/html; charset=utf-8").result(tableHtml());
  }

  /** {@code GET /overview/charts}: the charts' series. */
  void charts(Context ctx) {
    ObjectNode charts = Json.object();
    charts.set("throughput", activity.throughputPerMinute());
    charts.set("handoff", activity.handoffLatencyPerMinute());
    ctx.json(charts);
  }

  private String tableHtml() {
    Map<String, StageBacklog> backlog = configs.backlog().stream()
        .collect(Collectors.toMap(b -> b.queue() + "/" + b.stage(), Function.identity()));
    Map<String, JsonNode> hour = new HashMap<>();
    activity.lastHourByStage().forEach(row -> hour.put(row.path("pipeline").asText() + "/" + row.path("stage").asText(), row));
    Map<String, String> pipelineOfQueue = pipelines.all().stream()
        .collect(Collectors.toMap(PipelineDefinition::queue, PipelineDefinition::name, (a, b) -> a));
    StringBuilder html = new StringBuilder("<table class=\"overview\"><thead><tr><th>Pipeline</th><th>Stage</th>")
        .append("<th>Ready</th><th>In flight / limit</th><th>Delayed</th><th>Done (1 h)</th><th>Dead (1 h)</th>")
        .append("</tr></thead><tbody>");
    for (StageConfig config : configs.list()) {
      String pipeline = pipelineOfQueue.getOrDefault(config.queue(), config.queue());
      StageBacklog b = backlog.get(config.queue() + "/" + config.stage());
      JsonNode h = hour.getOrDefault(pipeline + "/" + config.stage(), Json.object());
      html.append("<tr data-stage=\"").append(e(pipeline + "/" + config.stage())).append("\"><td>").append(e(pipeline))
          .append("</td><td>").append(e(config.stage())).append(config.enabled() ? "" : " " + Html.status("paused"))
          .append("</td><td class=\"ready\">").append(b == null ? 0 : b.readyCount())
          .append("</td><td class=\"in-flight\">").append(b == null ? 0 : b.inFlightCount()).append(" / ")
          .append(config.maxConcurrency()).append("</td><td>").append(b == null ? 0 : b.delayedCount())
          .append("</td><td class=\"done\">").append(h.path("done").asLong()).append("</td><td class=\"dead\">")
          .append(h.path("dead").asLong()).append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }
}
