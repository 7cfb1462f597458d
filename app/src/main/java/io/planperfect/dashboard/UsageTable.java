package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A job's AI usage and cost, when its JSON has a {@code usage} object: the totals (calls, input and
 * output tokens, cost) and a row per stage when {@code usage.stages} lists them; any other shape as
 * its fields. Nothing for a job without usage or without a single model call.
 */
final class UsageTable {
  private UsageTable() {}

  static String render(JsonNode usage) {
    if (usage == null || !usage.isObject() || usage.isEmpty()
        || (usage.has("calls") && usage.path("calls").asLong() == 0)) {
      return "";
    }
    StringBuilder html = new StringBuilder("<h2>AI usage and cost</h2>");
    if (usage.path("stages").isArray()) {
      html.append("<table class=\"usage\"><thead><tr><th>Stage</th><th>Calls</th><th>Input tokens</th>")
          .append("<th>Output tokens</th><th>Cost (USD)</th></tr></thead><tbody>");
      for (JsonNode stage : usage.path("stages")) {
        row(html, e(stage, "stage"), stage);
      }
      row(html, "<strong>All</strong>", usage);
      return html.append("</tbody></table>").toString();
    }
    html.append("<table class=\"usage\"><tbody>");
    for (Map.Entry<String, JsonNode> field : usage.properties()) {
      JsonNode value = field.getValue();
      html.append("<tr><th>").append(e(field.getKey())).append("</th><td>")
          .append(value.isContainerNode() ? "<pre>" + Html.json(value) + "</pre>" : e(value.asText())).append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static void row(StringBuilder html, String label, JsonNode node) {
    html.append("<tr><td>").append(label).append("</td><td>").append(node.path("calls").asLong()).append("</td><td>")
        .append(node.path("input_tokens").asLong()).append("</td><td>").append(node.path("output_tokens").asLong())
        .append("</td><td>").append(cost(node.path("cost_usd"))).append("</td></tr>");
  }

  private static String cost(JsonNode cost) {
    return cost.isNumber() ? String.format(java.util.Locale.ROOT, "%.4f", cost.asDouble()) : "—";
  }
}
