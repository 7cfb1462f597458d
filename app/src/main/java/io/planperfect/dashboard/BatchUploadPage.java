package io.planperfect.dashboard;

import static io.planperfect.dashboard.Html.e;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.planperfect.engine.BatchIntake;
import io.planperfect.engine.NewJob;
import io.planperfect.http.ApiError;
import io.planperfect.http.BatchRows;
import io.planperfect.http.IntakeRequestParser;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Generate page's bulk upload: a CSV (a file or pasted text) read by the API's own reader
 * ({@link BatchRows}, the same as {@code POST /api/v1/batches} with {@code text/csv}), shown as a
 * preview with every bad row's problem (row number and field), each good row also checked by its
 * pipeline's intake rules ({@link BatchIntake#check}); then created as one batch through
 * {@link BatchIntake#accept}, all or nothing, and followed on the batch's page.
 */
final class BatchUploadPage {
  /** The largest CSV the page takes (the API takes up to 16 MiB; a browser's preview of more is no help). */
  static final int MAX_BYTES = 4 * 1024 * 1024;
  /** Good rows shown in the preview; every bad row is shown. */
  static final int PREVIEW_ROWS = 100;

  private final IntakeRequestParser parser;
  private final BatchIntake intake;
  private final PipelineRegistry pipelines;

  /** A row of the preview: its number, its intake body as JSON text, and its problem if any. */
  private record Line(int number, String jobType, String payload, String priority, Optional<NewJob> job,
      Optional<InvalidField> problem) {}

  BatchUploadPage(IntakeRequestParser parser, BatchIntake intake, PipelineRegistry pipelines) {
    this.parser = parser;
    this.intake = intake;
    this.pipelines = pipelines;
  }

  /** The upload form, on the Generate page. */
  String form(Context ctx, String jobType) {
    StringBuilder types = new StringBuilder("<option value=\"\">from the CSV's job_type column</option>");
    for (String type : pipelines.jobTypes()) {
      types.append("<option").append(type.equals(jobType) ? " selected" : "").append(">").append(e(type)).append("</option>");
    }
    return """
        <form method="post" action="/generate/csv" enctype="multipart/form-data" id="csv-form" class="card">%s
          <h2>Bulk upload (CSV)</h2>
          <p class="hint">A header row, then one job per row. Columns are the API's: <code>job_type</code>, <code>priority</code>,
          <code>requester_email</code>… go to the job; every other column is a payload field (<code>metadata.x</code> nests);
          <code>keywords</code> are split on <code>;</code> or <code>|</code>.</p>
          <label>Job type <select name="job_type">%s</select></label>
          <label>CSV file <input type="file" name="csv" accept=".csv,text/csv"></label>
          <label>or paste it <textarea name="csv_text" rows="4" placeholder="title,keywords,word_count"></textarea></label>
          <button type="submit">Preview</button>
        </form>""".formatted(Html.csrf(SessionGate.session(ctx).csrfToken()), types);
  }

  /** The rows as the API would read them, each with its problem; nothing is stored. */
  void preview(Context ctx) {
    String jobType = jobType(ctx);
    String text = csv(ctx);
    List<Line> lines;
    try {
      lines = read(text, jobType);
    } catch (ApiError e) {
      refuse(ctx, jobType, problem(e.field(), e.getMessage()));
      return;
    }
    Layout.render(ctx, "Generate", "/generate", preview(ctx, text, jobType, lines));
  }

  /** The batch, created as the API creates it; a bad row shows the preview again and stores nothing. */
  void submit(Context ctx) {
    String jobType = jobType(ctx);
    String text = csv(ctx);
    try {
      List<Line> lines = read(text, jobType);
      if (lines.stream().anyMatch(l -> l.problem().isPresent())) {
        Layout.render(ctx.status(400), "Generate", "/generate", preview(ctx, text, jobType, lines));
        return;
      }
      List<NewJob> jobs = lines.stream().map(l -> l.job().orElseThrow()).toList();
      BatchIntake.Receipt receipt = intake.accept(jobs, null);
      Layout.redirect(ctx, "/batches/" + receipt.batchId(), "notice", "Created a batch of " + jobs.size() + " job(s).");
    } catch (ApiError e) {
      refuse(ctx, jobType, problem(e.field(), e.getMessage()));
    } catch (InvalidField e) {
      refuse(ctx, jobType, problem(e.field(), e.getMessage()));
    }
  }

  private List<Line> read(String text, String jobType) {
    if (text.isBlank()) {
      throw ApiError.invalid("csv", "choose a CSV file or paste its text");
    }
    List<BatchRows.Row> rows = BatchRows.fromCsv(text, jobType, parser);
    if (rows.isEmpty() || rows.size() > BatchIntake.MAX_JOBS) {
      throw ApiError.invalid("jobs", "a batch holds 1 to " + BatchIntake.MAX_JOBS + " jobs, got " + rows.size());
    }
    List<Line> lines = new ArrayList<>(rows.size());
    for (BatchRows.Row row : rows) {
      Optional<InvalidField> problem = row.problem().or(() -> row.job().flatMap(job -> checked(row.number(), job)));
      lines.add(new Line(row.number(), row.body().path("job_type").asText(""), row.body().path("payload").toString(),
          row.body().path("priority").asText(""), row.job(), problem));
    }
    return lines;
  }

  private Optional<InvalidField> checked(int number, NewJob job) {
    try {
      intake.check(job);
      return Optional.empty();
    } catch (InvalidField e) {
      return Optional.of(new InvalidField("rows[" + number + "]." + e.field(), "row " + number + ": " + e.getMessage()));
    }
  }

  private String preview(Context ctx, String text, String jobType, List<Line> lines) {
    long bad = lines.stream().filter(l -> l.problem().isPresent()).count();
    StringBuilder body = new StringBuilder("<section id=\"csv-preview\" class=\"card\"><h2>Preview</h2><p class=\"summary\">")
        .append(lines.size()).append(" row(s)");
    body.append(bad == 0 ? ", all valid." : ", " + bad + " with a problem: fix them and upload again; nothing was stored.")
        .append("</p><table class=\"preview\"><thead><tr><th>Row</th><th>Job type</th><th>Payload</th><th>Priority</th>")
        .append("<th>Problem</th></tr></thead><tbody>");
    int shown = 0;
    for (Line line : lines) {
      if (line.problem().isEmpty() && shown++ >= PREVIEW_ROWS) {
        continue;
      }
      body.append("<tr data-row=\"").append(line.number()).append("\"").append(line.problem().isPresent() ? " class=\"bad\"" : "")
          .append("><td>").append(line.number()).append("</td><td>").append(e(line.jobType())).append("</td><td><code>")
          .append(e(abbreviated(line.payload()))).append("</code></td><td>").append(e(line.priority())).append("</td><td class=\"problem\">")
          .append(line.problem().map(p -> "<strong>" + e(p.field()) + "</strong>: " + e(p.getMessage())).orElse("")).append("</td></tr>");
    }
    body.append("</tbody></table>");
    if (shown > PREVIEW_ROWS) {
      body.append("<p class=\"hint\">").append(shown - PREVIEW_ROWS).append(" more valid row(s) not shown.</p>");
    }
    if (bad == 0) {
      body.append("<form method=\"post\" action=\"/generate/batch\" enctype=\"multipart/form-data\" id=\"batch-submit\">")
          .append(Html.csrf(SessionGate.session(ctx).csrfToken()))
          .append("<input type=\"hidden\" name=\"job_type\" value=\"").append(e(jobType == null ? "" : jobType)).append("\">")
          .append("<textarea name=\"csv_text\" hidden>").append(e(text)).append("</textarea>")
          .append("<button type=\"submit\">Create batch of ").append(lines.size()).append(" job(s)</button></form>");
    }
    return body.append("</section>").append(form(ctx, jobType)).toString();
  }

  private void refuse(Context ctx, String jobType, String message) {
    Layout.render(ctx.status(400), "Generate", "/generate",
        "<p class=\"flash error\" role=\"alert\" id=\"csv-error\">" + e(message) + " Nothing was stored.</p>" + form(ctx, jobType));
  }

  private static String problem(String field, String message) {
    return field == null ? message : field + ": " + message;
  }

  private static String abbreviated(String text) {
    return text.length() <= 240 ? text : text.substring(0, 240) + "…";
  }

  private static String jobType(Context ctx) {
    return Optional.ofNullable(ctx.formParam("job_type")).map(String::trim).filter(t -> !t.isEmpty()).orElse(null);
  }

  /** The uploaded file's text, or else the pasted text. */
  private static String csv(Context ctx) {
    UploadedFile file = ctx.contentType() != null && ctx.contentType().startsWith("multipart/") ? ctx.uploadedFile("csv") : null;
    if (file != null && file.size() > 0) {
      if (file.size() > MAX_BYTES) {
        throw new Refusal(413, "the CSV is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; send it to POST /api/v1/batches");
      }
      try (var in = file.content()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the uploaded CSV " + file.filename(), e);
      }
    }
    String text = Optional.ofNullable(ctx.formParam("csv_text")).orElse("");
    if (text.length() > MAX_BYTES) {
      throw new Refusal(413, "the CSV is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; send it to POST /api/v1/batches");
    }
    return text;
  }
}
