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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Server-Sent Events clients on one selector thread over plain sockets (HTTP/1.1 by hand): the
 * clients cost one thread in all and little CPU per event, so the measured time is the server's.
 * Each client scans its bytes for the blank line that ends an event, counts it, and hands every
 * {@code completed} event (its job and stage, the instant it arrived and the instant the client
 * connected) to an {@link Arrivals} sink: in the node's JVM the sink times it against the stage's
 * commit ({@link CommitClock}); in a separate client JVM ({@link SseClientsProcess}) it writes it to a
 * file the harness matches afterwards.
 */
final class SseClients implements AutoCloseable {
  private static final byte[] COMPLETED = "event: completed\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "event: end\n".getBytes(StandardCharsets.US_ASCII);

  /** Where a {@code completed} event goes once it arrived; called on the selector thread. */
  interface Arrivals {
    void completed(String jobId, String stage, long arrivedNanos, long connectedNanos);
  }

  private final Arrivals arrivals;
  private final Selector selector;
  private final List<Client> clients = new ArrayList<>();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicInteger openNow = new AtomicInteger();
  private final AtomicInteger mostOpen = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int ended;
  private volatile int finished;

  /** Clients whose {@code completed} events are timed against {@code clock} here, one recorder each. */
  SseClients(CommitClock clock) {
    this(new Timed(clock));
  }

  SseClients(Arrivals arrivals) {
    this.arrivals = arrivals;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.thread = new Thread(this::loop, "bench-sse-client");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Opens {@code count} streams on {@code uri} with the bearer key; returns once every response began. */
  void open(URI uri, String key, int count) {
    CountDownLatch started = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      connect(uri, key, started);
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

  /** Opens one stream on {@code uri} and returns at once (a browser following the job it just submitted); any thread. */
  void attach(URI uri, String key) {
    connect(uri, key, new CountDownLatch(1));
  }

  private void connect(URI uri, String key, CountDownLatch started) {
    String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + key + "\r\n\r\n";
    try {
      long connected = System.nanoTime();
      SocketChannel channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
      channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      channel.configureBlocking(false);
      Client client = new Client(channel, started, connected);
      mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
      synchronized (this) {
        clients.add(client);
        selector.wakeup();
        channel.register(selector, SelectionKey.OP_READ, client);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not open an event stream on " + uri, e);
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
          int read;
          try {
            read = client.channel.read(buffer);
          } catch (IOException e) {
            read = -1;
          }
          long arrived = System.nanoTime();
          if (read < 0) {
            key.cancel();
            client.channel.close();
            openNow.decrementAndGet();
            if (client.sawEnd) {
              finished++;
            } else {
              ended++;
            }
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

  /** Clients whose stream ended before an "end" event (the server drops a client that reads too slowly). */
  int ended() {
    return ended;
  }

  /** Clients whose stream ended after its "end" event (a job stream once its job finished). */
  int finished() {
    return finished;
  }

  /** How many streams are open now, and the most that were open at once. */
  int openNow() {
    return openNow.get();
  }

  int mostOpen() {
    return mostOpen.get();
  }

  /** Every event received by every client (frames, not bytes), heartbeats not counted. */
  long frames() {
    return frames.get();
  }

  /** {@code completed} events whose commit the clock had not seen (in the node's JVM only). */
  long unmatched() {
    return arrivals instanceof Timed timed ? timed.unmatched.get() : 0;
  }

  /** Every client's latencies (in the node's JVM only), merged; read after the runs, from the caller's thread. */
  LatencyRecorder latencies() {
    return arrivals instanceof Timed timed ? timed.merged() : new LatencyRecorder();
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
    synchronized (this) {
      for (Client client : clients) {
        try {
          client.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Times each completed event against the commit clock; an event committed before its client connected is not a live one. */
  static final class Timed implements Arrivals {
    private final CommitClock clock;
    private final LatencyRecorder latencies = new LatencyRecorder();
    final AtomicLong unmatched = new AtomicLong();

    Timed(CommitClock clock) {
      this.clock = clock;
    }

    @Override
    public void completed(String jobId, String stage, long arrivedNanos, long connectedNanos) {
      Long committed = clock.committedAt(jobId, stage);
      if (committed == null) {
        unmatched.incrementAndGet();
        return;
      }
      if (committed < connectedNanos) {
        return;
      }
      synchronized (this) {
        latencies.record(arrivedNanos - committed);
      }
    }

    synchronized LatencyRecorder merged() {
      LatencyRecorder copy = new LatencyRecorder();
      copy.add(latencies);
      return copy;
    }
  }

  /** One stream: the bytes of the event being read, until the blank line that ends it. */
  private final class Client {
    private final SocketChannel channel;
    private final CountDownLatch started;
    private final long connected;
    private byte[] event = new byte[4096];
    private int length;
    private boolean headersDone;
    private boolean counted;
    private boolean sawEnd;

    Client(SocketChannel channel, CountDownLatch started, long connected) {
      this.channel = channel;
      this.started = started;
      this.connected = connected;
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
      if (indexOf(event, length, "event: ".getBytes(StandardCharsets.US_ASCII)) >= 0) {
        frames.incrementAndGet();
      }
      int at = indexOf(event, length, COMPLETED);
      if (at < 0) {
        if (indexOf(event, length, END) >= 0) {
          sawEnd = true;
        }
        return;
      }
      String text = new String(event, at, length - at, StandardCharsets.UTF_8);
      String jobId = field(text, "job_id");
      String stage = field(text, "stage");
      if (jobId != null && stage != null) {
        arrivals.completed(jobId, stage, arrived, connected);
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
