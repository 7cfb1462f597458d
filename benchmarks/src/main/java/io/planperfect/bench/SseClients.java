package io.planperfect.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Server-Sent Events clients on one selector thread over plain sockets (HTTP/1.1 by hand): the
 * clients cost one thread in all and little CPU per event, so the measured time is the server's.
 * Each client scans its bytes for the blank line that ends an event and, for every {@code completed}
 * event, records the time from that stage's commit ({@link CommitClock}) to the event's arrival.
 */
final class SseClients implements AutoCloseable {
  private static final byte[] COMPLETED = "event: completed\n".getBytes(StandardCharsets.US_ASCII);

  private final CommitClock clock;
  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicLong unmatched = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int ended;

  SseClients(CommitClock clock) {
    this.clock = clock;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.thread = new Thread(this::loop, "bench-sse-client");
    this.thread.setDaemon(true);
  }

  /** Opens {@code count} streams on {@code uri} with the bearer key; returns once every response began. */
  void open(URI uri, String key, int count) {
    String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + key + "\r\n\r\n";
    CountDownLatch started = new CountDownLatch(count);
    try {
      for (int i = 0; i < count; i++) {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        channel.configureBlocking(false);
        Client client = new Client(channel, started);
        clients.add(client);
        synchronized (this) {
          selector.wakeup();
          channel.register(selector, SelectionKey.OP_READ, client);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not open an event stream", e);
    }
    if (!thread.isAlive()) {
      thread.start();
    }
    try {
      if (!started.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(started.getCount() + " of " + count + " streams did not start within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void loop() {
    ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
    while (running) {
      try {
        synchronized (this) {
          // why: a register() waits for this lock, not for a select that may block
        }
        selector.select(100);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Client client = (Client) key.attachment();
          buffer.clear();
          int read = client.channel.read(buffer);
          long arrived = System.nanoTime();
          if (read < 0) {
            key.cancel();
            client.channel.close();
            ended++;
            client.started.countDown();
            continue;
          }
          client.consume(buffer.array(), read, arrived);
        }
      } catch (IOException e) {
        // a stream closed under us: counted when its read returns -1
      }
    }
  }

  /** Clients whose stream ended (the server drops a client that reads too slowly). */
  int ended() {
    return ended;
  }

  long unmatched() {
    return unmatched.get();
  }

  /** Every client's latencies, merged (read after the runs, from the caller's thread). */
  LatencyRecorder latencies() {
    LatencyRecorder all = new LatencyRecorder();
    for (Client client : clients) {
      synchronized (client) {
        all.add(client.latencies);
      }
    }
    return all;
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Client client : clients) {
      try {
        client.channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** One stream: the bytes of the event being read, until the blank line that ends it. */
  private final class Client {
    private final SocketChannel channel;
    private final CountDownLatch started;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private byte[] event = new byte[4096];
    private int length;
    private boolean headersDone;
    private boolean counted;

    Client(SocketChannel channel, CountDownLatch started) {
      this.channel = channel;
      this.started = started;
    }

    void consume(byte[] bytes, int count, long arrived) {
      if (!counted) {
        counted = true;
        started.countDown();
      }
      for (int i = 0; i < count; i++) {
        byte b = bytes[i];
        if (b == '\r') {
          continue;
        }
        if (length == event.length) {
          event = java.util.Arrays.copyOf(event, event.length * 2);
        }
        event[length++] = b;
        if (b == '\n' && length >= 2 && event[length - 2] == '\n') {
          if (headersDone) {
            dispatch(arrived);
          }
          headersDone = true;
          length = 0;
        }
      }
    }

    /** The chunked transfer's size lines come before the event's lines: the event is found by its "event: completed" line. */
    private void dispatch(long arrived) {
      int at = indexOf(event, length, COMPLETED);
      if (at < 0) {
        return;
      }
      String text = new String(event, at, length - at, StandardCharsets.UTF_8);
      String jobId = field(text, "job_id");
      String stage = field(text, "stage");
      Long committed = jobId == null || stage == null ? null : clock.committedAt(jobId, stage);
      if (committed == null) {
        unmatched.incrementAndGet();
        return;
      }
      synchronized (this) {
        latencies.record(arrived - committed);
      }
    }
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The string value of {@code "name":"..."} in a flat JSON line, without parsing the rest. */
  private static String field(String json, String name) {
    String marker = "\"" + name + "\":\"";
    int start = json.indexOf(marker);
    if (start < 0) {
      return null;
    }
    start += marker.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }
}
