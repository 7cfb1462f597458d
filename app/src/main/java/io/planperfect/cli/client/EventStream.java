package io.planperfect.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events response read one event at a time, as the HTML standard parses them: fields
 * {@code id}, {@code event} and {@code data} (several data lines joined by a newline), comments
 * (heartbeats) skipped, a blank line ending an event.
 */
public final class EventStream implements AutoCloseable {
  private final BufferedReader reader;

  EventStream(InputStream body) {
    this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  /** The next event, waiting for it; null once the server has ended the stream. */
  public ServerEvent next() {
    String id = null;
    String name = null;
    StringBuilder data = null;
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            return new ServerEvent(id, name == null ? "message" : name, data.toString());
          }
          id = null;
          name = null;
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
          case "id" -> id = value;
          case "event" -> name = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { }
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("the event stream broke off", e);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // why: closing a stream the server already ended can fail; there is nothing left to read either way.
    }
  }
}
