package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.JobReads;
import io.planperfect.http.Sessions;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead letters, grouped by pipeline, stage and failure reason: replay or discard one letter or a
 * whole group, or edit the job's payload (checked by its pipeline's intake rules) and replay.
 */
final class DeadLettersPage {
  private static final int SHOWN = 500;

  private final DeadLetters deadLetters;
  private final JobReads reads;
  private final PipelineRegistry pipelines;

  DeadLettersPage(DeadLetters deadLetters, JobReads reads, PipelineRegistry pipelines) {
    this.deadLetters = deadLetters;
    this.reads = reads;
    this.pipelines = pipelines;
  }

  void show(Context ctx) {
    Sessions.Session session = SessionGate.session(ctx);
    Map<String, List<JsonNode>> letters = new LinkedHashMap<>();
    for (JsonNode letter : deadLetters.list(Optional.empty(), false, SHOWN)) {
      letters.computeIfAbsent(groupKey(letter), k -> new ArrayList<>()).add(letter);
    }
    StringBuilder body = new StringBuilder();
    var groups = deadLetters.groups();
    if (groups.isEmpty()) {
      body.append("<p class=\"empty\">No open dead letters.</p>");
    }
    for (JsonNode group : groups) {
      String ids = String.join(",", iterable(group.path("ids")));
      body.append("<section class=\"group card\"><h2>").append(e(group, "pipeline")).append(" / ").append(e(group, "stage"))
          .append(" <span class=\"count\">").append(group.path("count").asLong()).append("</span></h2>")
          .append("<p class=\"reason\">").append(e(group, "failure_reason")).append("</p>")
          .append("<form method=\"post\" action=\"/dead-letters/group\" class=\"inline\">").append(Html.csrf(session.csrfToken()))
          .append("<input type=\"hidden\" name=\"ids\" value=\"").append(e(ids)).append("\">")
          .append("<button type=\"submit\" name=\"action\" value=\"replay\">Replay group</button>")
          .append("<button type=\"submit\" name=\"action\" value=\"discard\" class=\"danger\">Discard group</button></form>")
          .append("<table><thead><tr><th>#</th><th>Job</th><th>Attempts</th><th>Routed</th><th></th></tr></thead><tbody>");
      for (JsonNode letter : letters.getOrDefault(groupKey(group), List.of())) {
        long id = letter.path("id").asLong();
        body.append("<tr data-letter=\"").append(id).append("\"><td>").append(id).append("</td><td><a href=\"/jobs/")
            .append(e(letter, "job_id")).append("\">").append(e(letter, "job_id")).append("</a></td><td>")
            .append(letter.path("attempt_count").asInt()).append("</td><td>").append(Html.time(letter, "routed_at")).append("</td><td>")
            .append(Html.button("/dead-letters/" + id + "/replay", "Replay", session.csrfToken(), ""))
            .append(Html.button("/dead-letters/" + id + "/discard", "Discard", session.csrfToken(), "danger"))
            .append("<a class=\"button\" href=\"/dead-letters/").append(id).append("/edit\">Edit payload…</a></td></tr>");
      }
      body.append("</tbody></table></section>");
    }
    Layout.render(ctx, "Dead letters", "/dead-letters", body.toString());
  }

  void replay(Context ctx) {
    answer(ctx, deadLetters.replay(letterId(ctx)), "Replayed dead letter " + letterId(ctx) + ".");
  }

  void discard(Context ctx) {
    answer(ctx, deadLetters.discard(letterId(ctx)), "Discarded dead letter " + letterId(ctx) + ".");
  }

  void group(Context ctx) {
    String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
    if (!action.equals("replay") && !action.equals("discard")) {
      throw new Refusal(400, "action must be replay or discard");
    }
    int done = 0;
    int skipped = 0;
    for (String text : Optional.ofNullable(ctx.formParam("ids")).orElse("").split(",")) {
      try {
        long id = Long.parseLong(text.trim());
        DeadLetters.Outcome outcome = action.equals("replay") ? deadLetters.replay(id) : deadLetters.discard(id);
        if (outcome == DeadLetters.Outcome.DONE) {
          done++;
        } else {
          skipped++;
        }
      } catch (NumberFormatException e) {
        skipped++;
      }
    }
    Layout.redirect(ctx, "/dead-letters", "notice", (action.equals("replay") ? "Replayed " : "Discarded ") + done
        + " dead letter(s)" + (skipped > 0 ? "; " + skipped + " already resolved or not found" : "") + ".");
  }

  void edit(Context ctx) {
    long id = letterId(ctx);
    ObjectNode letter = deadLetters.show(id).orElseThrow(() -> new Refusal(404, "no dead letter " + id));
    String text = Optional.ofNullable(ctx.attribute("payload-text")).map(Object::toString)
        .orElseGet(() -> jobPayload(letter).toPrettyString());
    String error = ctx.attribute("payload-error");
    Sessions.Session session = SessionGate.session(ctx);
    String body = (error == null ? "" : "<p class=\"flash error\" role=\"alert\">" + e(error) + "</p>")
        + "<p>Job <a href=\"/jobs/" + e(letter, "job_id") + "\">" + e(letter, "job_id") + "</a>, stage "
        + e(letter, "stage") + ": " + e(letter, "failure_reason") + "</p>"
        + "<form method=\"post\" action=\"/dead-letters/" + id + "/edit\" class=\"card\">" + Html.csrf(session.csrfToken())
        + "<label>Job payload (JSON)<textarea name=\"payload\" rows=\"16\" spellcheck=\"false\">" + e(text) + "</textarea></label>"
        + "<button type=\"submit\">Save and replay</button></form>";
    Layout.render(ctx, "Edit dead letter " + id, "/dead-letters", body);
  }

  void saveAndReplay(Context ctx) {
    long id = letterId(ctx);
    ObjectNode letter = deadLetters.show(id).orElseThrow(() -> new Refusal(404, "no dead letter " + id));
    String text = Optional.ofNullable(ctx.formParam("payload")).orElse("");
    try {
      JsonNode parsed = Json.read(text);
      if (parsed == null || !parsed.isObject()) {
        throw new InvalidField("payload", "the payload must be a JSON object");
      }
      ObjectNode payload = pipelines.byName(letter.path("pipeline").asText())
          .map(p -> p.intake().validate(((ObjectNode) parsed).deepCopy()))
          .orElse((ObjectNode) parsed);
      answer(ctx, deadLetters.replay(id, payload), "Saved the payload and replayed dead letter " + id + ".");
    } catch (InvalidField e) {
      ctx.status(400).attribute("payload-error", e.getMessage());
      ctx.attribute("payload-text", text);
      edit(ctx);
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException)
          && !(e instanceof IllegalArgumentException)) {
        throw e;
      }
      ctx.status(400).attribute("payload-error", "the payload is not valid JSON");
      ctx.attribute("payload-text", text);
      edit(ctx);
    }
  }

  private ObjectNode jobPayload(ObjectNode letter) {
    try {
      return reads.job(UUID.fromString(letter.path("job_id").asText()))
          .map(job -> job.path("payload").isObject() ? (ObjectNode) job.path("payload") : Json.object())
          .orElse(Json.object());
    } catch (IllegalArgumentException e) {
      return Json.object();
    }
  }

  private static void answer(Context ctx, DeadLetters.Outcome outcome, String done) {
    switch (outcome) {
      case DONE -> Layout.redirect(ctx, "/dead-letters", "notice", done);
      case NOT_FOUND -> Layout.redirect(ctx, "/dead-letters", "error", "No such dead letter.");
      case ALREADY_RESOLVED -> Layout.redirect(ctx, "/dead-letters", "error", "That dead letter was already replayed or discarded.");
      case JOB_NOT_FAILED -> Layout.redirect(ctx, "/dead-letters", "error", "The dead letter's job is not failed.");
    }
  }

  private static String groupKey(JsonNode node) {
    return node.path("pipeline").asText() + "\u0000" + node.path("stage").asText() + "\u0000"
        + node.path("failure_reason").asText("");
  }

  private static List<String> iterable(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static long letterId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new Refusal(404, "no dead letter " + ctx.pathParam("id"));
    }
  }
}
