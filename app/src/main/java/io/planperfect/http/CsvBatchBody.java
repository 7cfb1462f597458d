package io.planperfect.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A batch sent as {@code text/csv}: a header row, then one job per row. Columns named like the
 * intake envelope ({@code job_type}, {@code requester_email}, {@code initial_stage}, {@code priority},
 * {@code max_attempts}, {@code retry_delay_seconds}) go to the envelope; every other column is a
 * payload field, a dotted name ({@code metadata.skuCount}) a nested one. {@code keywords} is split on
 * {@code ;} or {@code |}. Cells {@code true} and {@code false} are booleans, a whole number in a
 * nested column, in a top-level number field of a pipeline ({@code word_count}) or in max_attempts /
 * retry_delay_seconds / priority is a number, everything else text; an empty cell leaves the field out. {@code job_type} may come from the query instead.
 */
final class CsvBatchBody {
  private static final Set<String> ENVELOPE = Set.of("job_type", "requester_email", "initial_stage", "priority",
      "max_attempts", "retry_delay_seconds");
  /** Top-level payload fields that are numbers in every pipeline that has them (an article's length). */
  private static final Set<String> NUMBER_FIELDS = Set.of("word_count");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*[;|]\\s*");

  private CsvBatchBody() {}

  /** The rows as intake bodies, in order; {@code defaultJobType} fills rows without a job_type (may be null). */
  static ArrayNode parse(String text, String defaultJobType) {
    List<List<String>> records = CsvRows.parse(text);
    if (records.isEmpty()) {
      throw ApiError.invalid("body", "the CSV has no header row");
    }
    List<String> header = records.get(0).stream().map(String::trim).toList();
    for (int c = 0; c < header.size(); c++) {
      if (header.get(c).isEmpty() || header.indexOf(header.get(c)) != c) {
        throw ApiError.invalid("header", "CSV header column " + (c + 1) + " is empty or repeated");
      }
    }
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (int r = 1; r < records.size(); r++) {
      List<String> cells = records.get(r);
      if (cells.size() != header.size()) {
        throw ApiError.invalid("rows[" + r + "]", "row " + r + " (line " + (r + 1) + ") has " + cells.size()
            + " cells; the header has " + header.size());
      }
      rows.add(row(header, cells, defaultJobType));
    }
    return rows;
  }

  private static ObjectNode row(List<String> header, List<String> cells, String defaultJobType) {
    ObjectNode body = Json.object();
    ObjectNode payload = body.putObject("payload");
    if (defaultJobType != null) {
      body.put("job_type", defaultJobType);
    }
    for (int c = 0; c < header.size(); c++) {
      String name = header.get(c);
      String cell = cells.get(c).trim();
      if (cell.isEmpty()) {
        continue;
      }
      if (ENVELOPE.contains(name)) {
        if (!name.equals("job_type") && !name.equals("requester_email") && !name.equals("initial_stage")
            && WHOLE_NUMBER.matcher(cell).matches()) {
          body.put(name, Long.parseLong(cell));
        } else {
          body.put(name, cell);
        }
      } else {
        put(payload, name, cell);
      }
    }
    return body;
  }

  private static void put(ObjectNode payload, String name, String cell) {
    String[] path = name.split("\\.");
    ObjectNode target = payload;
    for (int i = 0; i < path.length - 1; i++) {
      target = target.has(path[i]) && target.get(path[i]).isObject() ? (ObjectNode) target.get(path[i]) : target.putObject(path[i]);
    }
    String field = path[path.length - 1];
    if (field.equals("keywords")) {
      ArrayNode list = target.putArray(field);
      for (String item : LIST_SEPARATOR.split(cell)) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
    } else if (cell.equals("true") || cell.equals("false")) {
      target.put(field, Boolean.parseBoolean(cell));
    } else if ((path.length > 1 || NUMBER_FIELDS.contains(field)) && WHOLE_NUMBER.matcher(cell).matches()) {
      target.put(field, Long.parseLong(cell));
    } else {
      target.put(field, cell);
    }
  }
}
