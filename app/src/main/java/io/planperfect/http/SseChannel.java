package io.planperfect.http;

import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Server-Sent Events response, written with the servlet container's non-blocking output:
 * no thread waits on a client. Frames are queued by {@link #offer}; a writer (from a small shared
 * pool, or the container when the socket becomes writable again) sends every queued frame and
 * flushes once. When the client does not read, the socket stops being ready, the writer returns,
 * and frames queue up to {@code maxQueuedBytes}; one more ends the stream after what is queued (the
 * client reconnects with the last id it saw), and a client that has not taken it within
 * {@link #SLOW_CLIENT_GRACE} is closed. The response ends when the stream is closed, by us or by
 * the client.
 *
 * <p>State, guarded by {@code lock}: {@code active} while a writer runs or the stream waits for the
 * socket; {@code awaitingReady} from just before asking the socket until it answers — the container
 * calls {@link WriteListener#onWritePossible} only after {@code isReady()} said no, and the one who
 * clears the flag writes on.
 */
final class SseChannel {
  private static final Logger log = LoggerFactory.getLogger(SseChannel.class);

  /** How long a stream that fell behind has to take what is queued before it is closed unsent. */
  static final Duration SLOW_CLIENT_GRACE = Duration.ofSeconds(5);

  private final Executor writers;
  private final ScheduledExecutorService timer;
  private final int maxQueuedBytes;
  private int queuedBytes;
  private final Runnable onClose;
  private final Object lock = new Object();
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private ServletOutputStream out;
  private volatile Connection connection;
  private boolean active = true;
  private boolean awaitingReady = true;
  /** True at first: the first writer sends the headers even with no event to send yet. */
  private boolean unflushed = true;
  private boolean closed;
  private boolean ending;
  /** When a frame was last queued (System.nanoTime): a stream that sends needs no heartbeat. */
  private volatile long lastOfferNanos = System.nanoTime();

  private SseChannel(Executor writers, ScheduledExecutorService timer, int maxQueuedBytes, Runnable onClose) {
    this.writers = writers;
    this.timer = timer;
    this.maxQueuedBytes = maxQueuedBytes;
    this.onClose = onClose;
  }

  /**
   * Answers {@code ctx} as an event stream: headers now, frames once the request is asynchronous
   * (the frames offered before then wait in the queue). {@code onClose} runs once, however it closes.
   */
  static SseChannel open(Context ctx, Executor writers, ScheduledExecutorService timer, int maxQueuedBytes, Runnable onClose) {
    SseChannel channel = new SseChannel(writers, timer, maxQueuedBytes, onClose);
    HttpServletResponse response = ctx.res();
    response.setStatus(200);
    response.setCharacterEncoding("UTF-8");
    response.setContentType("text/event-stream");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    response.setHeader("Connection", "close");
    ctx.future(() -> {
      channel.connection = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection();
      channel.start(ctx.req().getAsyncContext(), response);
      return channel.done;
    });
    return channel;
  }

  private void start(AsyncContext async, HttpServletResponse response) {
    async.setTimeout(0);
    async.addListener(new AsyncListener() {
      @Override public void onComplete(AsyncEvent event) { close(); }
      @Override public void onTimeout(AsyncEvent event) { close(); }
      @Override public void onError(AsyncEvent event) { close(); }
      @Override public void onStartAsync(AsyncEvent event) { }
    });
    try {
      ServletOutputStream stream = response.getOutputStream();
      synchronized (lock) {
        out = stream;
      }
      // the container answers with onWritePossible at once; it takes over from the initial awaitingReady
      stream.setWriteListener(new WriteListener() {
        @Override
        public void onWritePossible() {
          resume();
        }

        @Override
        public void onError(Throwable error) {
          log.debug("event stream write failed, closing it: {}", error.toString());
          close();
        }
      });
    } catch (IOException | RuntimeException e) {
      log.debug("event stream could not start: {}", e.toString());
      close();
    }
  }

  /** Queues an event; never blocks. */
  void event(String event, String data, String id) {
    StringBuilder frame = new StringBuilder(data.length() + 64);
    if (id != null) {
      frame.append("id: ").append(id).append('\n');
    }
    frame.append("event: ").append(event).append('\n');
    frame.append("data: ").append(data).append("\n\n");
    offer(frame.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Queues a comment line (a heartbeat); never blocks. */
  void comment(String text) {
    offer((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  /** When a frame (an event or a comment) was last queued, in {@link System#nanoTime()}. */
  long lastOfferNanos() {
    return lastOfferNanos;
  }

  /** Queues a frame already encoded; never blocks. A frame past {@code maxQueued} closes the stream instead. */
  void offer(byte[] frame) {
    lastOfferNanos = System.nanoTime();
    boolean start;
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (ending) {
        return;
      }
      if (queuedBytes + frame.length > maxQueuedBytes && frame != END) {
        // why end rather than drop the queue: a client catching up from an old id gets what is queued,
        // then reconnects after the last one; a client that does not read at all is closed after the grace
        log.info("ending an event stream that falls behind: {} events ({} bytes) waiting to be sent", frames.size(), queuedBytes);
        ending = true;
        frames.add(END);
        timer.schedule(this::abort, SLOW_CLIENT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        ending = frame == END;
        frames.add(frame);
        queuedBytes += frame.length;
      }
      start = !active;
      active = true;
    }
    if (start) {
      try {
        writers.execute(this::pump);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        close();  // why: the node is stopping (its writers are shut down); nothing more is sent to anyone
      }
    }
  }

  /**
   * On a caller's own thread (never the feed's): waits until at most {@code bytes} wait to be sent, or
   * the channel is closed or ending, for at most {@code timeout}. A stream catching up from far back
   * queues the next page of its replay only when the client has taken most of the last one.
   */
  void awaitRoom(int bytes, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (lock) {
        if (closed || ending || queuedBytes <= bytes) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }

  boolean closed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** The client has seen everything queued so far once the writer drains: then the response ends. */
  void endAfterQueued() {
    offer(END);
  }

  private static final byte[] END = new byte[0];

  private void resume() {
    synchronized (lock) {
      if (!awaitingReady) {
        return;
      }
      awaitingReady = false;
    }
    pump();
  }

  private void pump() {
    try {
      while (true) {
        synchronized (lock) {
          if (closed) {
            return;
          }
          awaitingReady = true;
        }
        if (!out.isReady()) {
          return;
        }
        byte[] frame;
        synchronized (lock) {
          if (!awaitingReady) {
            return;
          }
          awaitingReady = false;
          frame = frames.poll();
          if (frame != null) {
            queuedBytes -= frame.length;
          }
          if (frame == null && !unflushed) {
            active = false;
            return;
          }
        }
        if (frame == END) {
          if (!unflushed) {
            close();
            return;
          }
          // why: the response ends only once the last frames are on the wire: flush, then ask the socket again
          synchronized (lock) {
            frames.addFirst(END);
          }
          // END weighs nothing: queuedBytes is unchanged
          unflushed = false;
          out.flush();
          continue;
        }
        if (frame == null) {
          unflushed = false;
          out.flush();
        } else {
          out.write(frame);
          unflushed = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("event stream write failed, closing it: {}", e.toString());
      close();
    }
  }

  /** A client that did not take its queue in time: the connection is closed under it, unsent frames dropped. */
  private void abort() {
    boolean open;
    synchronized (lock) {
      open = !done.isDone();
    }
    if (open) {
      log.info("closing an event stream whose client stopped reading");
      Connection c = connection;
      if (c != null) {
        c.getEndPoint().close();
      }
      close();
    }
  }

  /** Ends the response (idempotent); runs {@code onClose} once. */
  void close() {
    boolean first;
    synchronized (lock) {
      first = !done.isDone();
      closed = true;
      frames.clear();
      queuedBytes = 0;
    }
    if (first) {
      done.complete(null);
      onClose.run();
    }
  }
}
