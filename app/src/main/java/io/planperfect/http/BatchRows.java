package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.InvalidField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch's rows through the intake envelope's parser, one at a time: for the API (the first bad
 * row refuses the batch) and the dashboard's CSV preview (every row with its own problem), so both
 * read a CSV the same way ({@link CsvBatchBody}).
 */
public final class BatchRows {
  /** One row, counted from 1: its intake body and either its job or the problem that refuses it. */
  public record Row(int number, JsonNode body, Optional<NewJob> job, Optional<InvalidField> problem) {}

  private BatchRows() {}

  /**
   * A {@code text/csv} batch's rows ({@code defaultJobType} fills rows without a job_type; may be
   * null). A text that is not a CSV batch at all (no header, a malformed quote, a row with another
   * number of cells) is refused whole with {@link ApiError}.
   */
  public static List<Row> fromCsv(String text, String defaultJobType, IntakeRequestParser parser) {
    return each(CsvBatchBody.parse(text, defaultJobType), parser);
  }

  static List<Row> each(ArrayNode rows, IntakeRequestParser parser) {
    List<Row> parsed = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      parsed.add(row(i + 1, rows.get(i), parser));
    }
    return parsed;
  }

  /** The rows' jobs; the first bad row refuses them all, as a 400 naming {@code rows[N].<field>}. */
  static List<NewJob> all(ArrayNode rows, IntakeRequestParser parser) {
    List<NewJob> jobs = new ArrayList<>(rows.size());
    for (Row row : each(rows, parser)) {
      row.problem().ifPresent(p -> {
        throw ApiError.invalid(p.field(), p.getMessage());
      });
      jobs.add(row.job().orElseThrow());
    }
    return jobs;
  }

  private static Row row(int number, JsonNode body, IntakeRequestParser parser) {
    String name = "rows[" + number + "]";
    try {
      return new Row(number, body, Optional.of(parser.parse(body)), Optional.empty());
    } catch (ApiError e) {
      return problem(number, body, e.field() == null ? name : name + "." + e.field(), e.getMessage());
    } catch (InvalidField e) {
      return problem(number, body, name + "." + e.field(), e.getMessage());
    }
  }

  private static Row problem(int number, JsonNode body, String field, String message) {
    return new Row(number, body, Optional.empty(), Optional.of(new InvalidField(field, "row " + number + ": " + message)));
  }
}
