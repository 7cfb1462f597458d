package io.planperfect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Server-Sent Events client for tests: opens a stream and collects its events on a thread of its own. */
public final class SseReader implements AutoCloseable {
  /** One event: its id (null when none), name and data. */
  public record Event(String id, String name, String data) {
    public JsonNode json() {
      return Json.read(data);
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final int status;
  private final InputStream body;
  private final Thread thread;
  private volatile boolean ended;

  private SseReader(HttpResponse<InputStream> response) {
    this.status = response.statusCode();
    this.body = response.body();
    this.thread = new Thread(this::read, "sse-reader");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public static SseReader open(int port, String path, String key, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Accept", "text/event-stream");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    try {
      return new SseReader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return status;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  /** The server closed the stream. */
  public boolean ended() {
    return ended;
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String name = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(id, name, data.toString()));
          }
          id = null;
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
        }
      }
    } catch (Exception e) {
      // the test closed the stream
    } finally {
      ended = true;
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (Exception e) {
      // already closed
    }
    thread.interrupt();
  }
}
