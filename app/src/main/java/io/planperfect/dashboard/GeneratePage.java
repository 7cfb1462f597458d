package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.engine.Intake;
import io.planperfect.http.ApiError;
import io.planperfect.http.IntakeRequestParser;
import io.planperfect.json.Json;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The article form and, when a pipeline takes job type "generation" (seed 004), the page generation
 * form: their fields become the same intake body the API takes ({@code POST /api/v1/jobs}), checked
 * by the same parser and the pipeline's intake rules; after submit the page shows the job's
 * progress live. Below them, the bulk upload of a CSV ({@link BatchUploadPage}).
 */
final class GeneratePage {
  static final String GENERATION = "generation";
  private static final List<String> PAGE_TYPES = List.of("product", "category", "landing", "blog");
  private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da");

  private final IntakeRequestParser parser;
  private final Intake intake;
  private final PipelineRegistry pipelines;
  private final BatchUploadPage upload;

  GeneratePage(IntakeRequestParser parser, Intake intake, PipelineRegistry pipelines, BatchUploadPage upload) {
    this.parser = parser;
    this.intake = intake;
    this.pipelines = pipelines;
    this.upload = upload;
  }

  void show(Context ctx) {
    StringBuilder body = new StringBuilder();
    String job = ctx.queryParam("job");
    if (job != null) {
      try {
        UUID id = UUID.fromString(job);
        body.append("<section class=\"submitted\"><h2>Your article</h2><p><a href=\"/jobs/").append(e(id))
            .append("\">Job ").append(e(id)).append("</a> · <span data-job-status=\"").append(e(id))
            .append("\">queued</span></p>")
            .append(Html.progress(id.toString(), 0, "queued").replace("class=\"progress\"",
                "class=\"progress big\" data-live-job=\"" + e(id) + "\""))
            .append("</section>");
      } catch (IllegalArgumentException e) {
        // a hand-edited link: show the form alone
      }
    }
    body.append("<div class=\"forms\">").append(form(ctx, Map.of(), null)).append(generationForm(ctx, Map.of(), null))
        .append(upload.form(ctx, null)).append("</div>");
    Layout.render(ctx, "Generate", "/generate", body.toString());
  }

  void submit(Context ctx) {
    if (GENERATION.equals(ctx.formParam("form"))) {
      submitGeneration(ctx);
      return;
    }
    Map<String, String> values = Map.of(
        "title", value(ctx, "title"), "keywords", value(ctx, "keywords"), "domain", value(ctx, "domain"),
        "word_count", value(ctx, "word_count"), "priority", value(ctx, "priority"));
    try {
      Intake.Receipt receipt = intake.accept(parser.parse(body(values)));
      ctx.redirect("/generate?job=" + receipt.jobId());
    } catch (ApiError e) {
      Layout.render(ctx.status(400), "Generate", "/generate", form(ctx, values, e.getMessage()));
    } catch (InvalidField e) {
      Layout.render(ctx.status(400), "Generate", "/generate", form(ctx, values, e.getMessage()));
    }
  }

  private void submitGeneration(Context ctx) {
    Map<String, String> values = Map.of(
        "pageType", value(ctx, "pageType"), "targetUrl", value(ctx, "targetUrl"), "keywords", value(ctx, "keywords"),
        "language", value(ctx, "language"), "brandVoice", value(ctx, "brandVoice"), "priority", value(ctx, "priority"));
    ObjectNode payload = Json.object().put("pageType", values.get("pageType")).put("targetUrl", values.get("targetUrl"));
    ArrayNode keywords = payload.putArray("keywords");
    Arrays.stream(values.get("keywords").split("[,\\n]")).map(String::trim).filter(k -> !k.isEmpty()).forEach(keywords::add);
    if (!values.get("language").isBlank()) {
      payload.put("language", values.get("language"));
    }
    if (!values.get("brandVoice").isBlank()) {
      payload.put("brandVoice", values.get("brandVoice"));
    }
    ObjectNode body = Json.object().put("job_type", GENERATION);
    body.set("payload", payload);
    number(values.get("priority")).ifPresentOrElse(n -> body.put("priority", n),
        () -> { if (!values.get("priority").isBlank()) body.put("priority", values.get("priority")); });
    try {
      Intake.Receipt receipt = intake.accept(parser.parse(body));
      ctx.redirect("/generate?job=" + receipt.jobId());
    } catch (ApiError e) {
      Layout.render(ctx.status(400), "Generate", "/generate", generationForm(ctx, values, e.getMessage()));
    } catch (InvalidField e) {
      Layout.render(ctx.status(400), "Generate", "/generate", generationForm(ctx, values, e.getMessage()));
    }
  }

  /** Seed 004's form (page type, URL, keywords, language, brand voice, priority); none when no pipeline takes "generation". */
  private String generationForm(Context ctx, Map<String, String> values, String error) {
    if (pipelines.forJobType(GENERATION).isEmpty()) {
      return "";
    }
    StringBuilder types = new StringBuilder();
    PAGE_TYPES.forEach(t -> types.append("<option").append(t.equals(values.get("pageType")) ? " selected" : "").append(">")
        .append(e(t)).append("</option>"));
    StringBuilder languages = new StringBuilder();
    LANGUAGES.forEach(l -> languages.append("<option").append(l.equals(values.getOrDefault("language", "en")) ? " selected" : "")
        .append(">").append(e(l)).append("</option>"));
    return (error == null ? "" : "<p class=\"flash error\" role=\"alert\">" + e(error) + "</p>") + """
        <form method="post" action="/generate" id="generation-form" class="card">%s
          <input type="hidden" name="form" value="generation">
          <h2>Page</h2>
          <label>Page type <select name="pageType">%s</select></label>
          <label>Target URL <input name="targetUrl" type="url" required placeholder="https://example.com/products/x" value="%s"></label>
          <label>Keywords <input name="keywords" required placeholder="comma separated" value="%s"></label>
          <label>Language <select name="language">%s</select></label>
          <label>Brand voice <input name="brandVoice" placeholder="clear, helpful and confident" value="%s"></label>
          <label>Priority <input name="priority" type="number" min="-100" max="100" placeholder="0" value="%s"></label>
          <button type="submit">Generate page</button>
        </form>""".formatted(Html.csrf(SessionGate.session(ctx).csrfToken()), types, e(values.getOrDefault("targetUrl", "")),
        e(values.getOrDefault("keywords", "")), languages, e(values.getOrDefault("brandVoice", "")),
        e(values.getOrDefault("priority", "")));
  }

  /** The API's intake body for these form fields; what the form cannot say as JSON is left for the parser to refuse. */
  private static ObjectNode body(Map<String, String> values) {
    ObjectNode payload = Json.object().put("title", values.get("title"));
    ArrayNode keywords = payload.putArray("keywords");
    Arrays.stream(values.get("keywords").split("[,\\n]")).map(String::trim).filter(k -> !k.isEmpty()).forEach(keywords::add);
    if (!values.get("domain").isBlank()) {
      payload.put("domain", values.get("domain"));
    }
    ObjectNode body = Json.object().put("job_type", "article");
    body.set("payload", payload);
    number(values.get("word_count")).ifPresentOrElse(n -> payload.put("word_count", n),
        () -> { if (!values.get("word_count").isBlank()) payload.put("word_count", values.get("word_count")); });
    number(values.get("priority")).ifPresentOrElse(n -> body.put("priority", n),
        () -> { if (!values.get("priority").isBlank()) body.put("priority", values.get("priority")); });
    return body;
  }

  private static Optional<Long> number(String text) {
    try {
      return Optional.of(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String value(Context ctx, String name) {
    return Optional.ofNullable(ctx.formParam(name)).orElse("").trim();
  }

  private static String form(Context ctx, Map<String, String> values, String error) {
    String csrf = Html.csrf(SessionGate.session(ctx).csrfToken());
    return (error == null ? "" : "<p class=\"flash error\" role=\"alert\">" + e(error) + "</p>") + """
        <form method="post" action="/generate" id="article-form" class="card">%s
          <h2>Article</h2>
          <label>Title <input name="title" required maxlength="500" value="%s"></label>
          <label>Keywords <input name="keywords" required placeholder="comma separated" value="%s"></label>
          <label>Domain <input name="domain" placeholder="example.com" value="%s"></label>
          <label>Word count <input name="word_count" type="number" min="100" max="10000" placeholder="1500" value="%s"></label>
          <label>Priority <input name="priority" type="number" min="-100" max="100" placeholder="0" value="%s"></label>
          <button type="submit">Generate</button>
        </form>""".formatted(csrf, e(values.getOrDefault("title", "")), e(values.getOrDefault("keywords", "")),
        e(values.getOrDefault("domain", "")), e(values.getOrDefault("word_count", "")), e(values.getOrDefault("priority", "")));
  }
}
