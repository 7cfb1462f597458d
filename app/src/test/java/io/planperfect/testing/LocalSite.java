package io.planperfect.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web site served by a test on a loopback address, written at the byte level so it can also be
 * hostile (endless bodies, slow drips, huge headers). Counts every connection it accepts and keeps
 * each request's line and headers, so a test can prove that a refused URL opened no connection.
 */
public final class LocalSite implements AutoCloseable {
  /** What a path answers: write the raw HTTP response (status line, headers, body) to the stream. */
  @FunctionalInterface
  public interface Responder {
    void respond(Request request, OutputStream out) throws IOException, InterruptedException;
  }

  public record Request(String method, String path, Map<String, String> headers) {}

  private final ServerSocket server;
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "local-site");
    thread.setDaemon(true);
    return thread;
  });

  private LocalSite(String address) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    threads.submit(this::acceptLoop);
  }

  /** A site on 127.0.0.1, on a free port. */
  public static LocalSite start() throws IOException {
    return new LocalSite("127.0.0.1");
  }

  /** A site on another loopback address (127.0.0.2: one the guard must refuse). */
  public static LocalSite startOn(String address) throws IOException {
    return new LocalSite(address);
  }

  public LocalSite route(String path, Responder responder) {
    routes.put(path, responder);
    return this;
  }

  public LocalSite page(String path, String html) {
    return route(path, (request, out) -> write(out, 200, "text/html; charset=utf-8", html));
  }

  public LocalSite status(String path, int status) {
    return route(path, (request, out) -> write(out, status, "text/html", "<html><body>status " + status + "</body></html>"));
  }

  public LocalSite redirect(String path, int status, String location) {
    return route(path, (request, out) -> {
      out.write(("HTTP/1.1 " + status + " Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
    });
  }

  public String url(String path) {
    return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + path;
  }

  public int port() {
    return server.getLocalPort();
  }

  public int accepted() {
    return accepted.get();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public static void write(OutputStream out, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        threads.submit(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String line = in.readLine();
      if (line == null) {
        return;
      }
      String[] parts = line.split(" ");
      Map<String, String> headers = new ConcurrentHashMap<>();
      for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
        int colon = header.indexOf(':');
        if (colon > 0) {
          headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
        }
      }
      String path = parts.length > 1 ? parts[1] : "/";
      Request request = new Request(parts[0], path, headers);
      requests.add(request);
      Responder responder = routes.get(path.replaceFirst("\\?.*", ""));
      if (responder == null) {
        write(socket.getOutputStream(), 404, "text/html", "<html><body>not found</body></html>");
      } else {
        responder.respond(request, socket.getOutputStream());
      }
    } catch (IOException | InterruptedException ignored) {
      // the client went away (as a capped fetch does): nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
