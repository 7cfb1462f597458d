package io.planperfect.http;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by commas, optionally in double quotes (a quote inside written
 * twice; commas and line breaks allowed inside), records ended by CRLF or LF. The first record is
 * the header. A malformed text is refused with a 400 naming the line.
 */
final class CsvRows {
  private CsvRows() {}

  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    int line = 1;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
          if (i + 1 < text.length() && ",\r\n".indexOf(text.charAt(i + 1)) < 0) {
            throw ApiError.invalid("body", "CSV line " + line + ": a quoted field must end at a comma or line end");
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
        addUnlessBlank(records, record);
        record = new ArrayList<>();
        line++;
      } else {
        if (c == '"') {
          throw ApiError.invalid("body", "CSV line " + line + ": a quote inside an unquoted field");
        }
        field.append(c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw ApiError.invalid("body", "CSV line " + line + ": a quoted field is not closed");
    }
    if (fieldStarted || !record.isEmpty()) {
      record.add(field.toString());
      addUnlessBlank(records, record);
    }
    return records;
  }

  private static void addUnlessBlank(List<List<String>> records, List<String> record) {
    if (!(record.size() == 1 && record.get(0).isBlank())) {
      records.add(record);
    }
  }
}
