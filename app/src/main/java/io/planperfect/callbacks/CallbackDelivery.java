package io.planperfect.callbacks;

import io.planperfect.config.CallbackSettings;
import io.planperfect.fetch.FetchFailed;
import io.planperfect.fetch.FetchRefused;
import io.planperfect.fetch.FetchedPage;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.queue.Backoff;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts due callbacks, on every node: claims them ({@link CallbackDeliveries}), POSTs each signed body
 * through the guarded fetcher (the SSRF rules checked again now: a refused address fails the delivery
 * at once, naming the rule), and ends the attempt: a 2xx is delivered; any other answer or no answer
 * is tried again after the backoff, until the last attempt, which fails the delivery. A {@code mail}
 * delivery (a job's completion e-mail) is sent through the SMTP server instead, with the same attempts,
 * backoff and end; a node without {@code PLANPERFECT_SMTP_URL} leaves mail to the nodes that have it.
 * Runs outside any job's transaction, on its own thread ({@code pp-callbacks}); {@link #runOnce()} is the loop's body,
 * for tests.
 */
public final class CallbackDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDelivery.class);
  private static final int CLAIM_LIMIT = 10;
  private static final int ERROR_CHARS = 500;
  private static final String WEBHOOK = "webhook";
  private static final String MAIL = "mail";
  private static final String MAILTO = "mailto:";

  private final CallbackDeliveries deliveries;
  private final GuardedFetcher fetcher;
  private final CallbackSigner signer;
  private final CallbackSettings settings;
  private final Backoff backoff;
  private final Clock clock;
  private final Optional<MailSender> mail;
  private final List<String> kinds;
  private final AtomicLong loopErrors = new AtomicLong();
  private ScheduledExecutorService loop;

  public CallbackDelivery(Jdbi jdbi, GuardedFetcher fetcher, CallbackSigner signer, CallbackSettings settings, Clock clock) {
    this.deliveries = new CallbackDeliveries(jdbi);
    this.fetcher = fetcher;
    this.signer = signer;
    this.settings = settings;
    this.backoff = Backoff.of(settings.backoffBase(), settings.backoffMax());
    this.clock = clock;
    this.mail = settings.smtp().map(smtp -> new MailSender(smtp, settings.mailFrom(), settings.timeout()));
    this.kinds = mail.isPresent() ? List.of(WEBHOOK, MAIL) : List.of(WEBHOOK);
  }

  public CallbackDelivery start() {
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "pp-callbacks");
      thread.setDaemon(true);
      return thread;
    });
    long millis = settings.pollInterval().toMillis();
    loop.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Claims and posts the due deliveries until none is due; returns how many attempts were made. */
  public int runOnce() {
    int attempts = 0;
    List<CallbackDeliveries.Due> due;
    do {
      due = deliveries.claim(CLAIM_LIMIT, settings.claimTimeout(), kinds);
      due.forEach(this::attempt);
      attempts += due.size();
    } while (due.size() == CLAIM_LIMIT && !Thread.currentThread().isInterrupted());
    return attempts;
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      // why: the loop must outlive a database outage; the next tick tries again
      log.warn("callback delivery loop failed ({} so far): {}", loopErrors.incrementAndGet(), e.toString());
    }
  }

  private void attempt(CallbackDeliveries.Due due) {
    if (due.kind().equals(MAIL)) {
      mail(due);
    } else {
      post(due);
    }
  }

  private void mail(CallbackDeliveries.Due due) {
    String to = due.url().startsWith(MAILTO) ? due.url().substring(MAILTO.length()) : due.url();
    try {
      mail.orElseThrow().send(to, due.body());
      deliveries.delivered(due, 250);
      log.info("completion mail {} of {} {} sent (attempt {})", due.id(), due.subject(), due.subjectId(), due.attempt());
    } catch (MessagingException | RuntimeException e) {
      // why the class and message only: a Jakarta Mail exception names the server, never the password
      again(due, null, "SMTP: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void post(CallbackDeliveries.Due due) {
    byte[] body = due.body().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = Map.of(
        CallbackSigner.TIMESTAMP_HEADER, Long.toString(timestamp),
        CallbackSigner.SIGNATURE_HEADER, signer.signature(timestamp, body),
        "X-PlanPerfect-Delivery", Long.toString(due.id()));
    try {
      FetchedPage answer = fetcher.post(due.url(), "application/json", body, headers);
      if (answer.status() >= 200 && answer.status() < 300) {
        deliveries.delivered(due, answer.status());
        log.info("callback {} of {} {} delivered (attempt {})", due.id(), due.subject(), due.subjectId(), due.attempt());
      } else {
        again(due, answer.status(), "HTTP " + answer.status());
      }
    } catch (FetchRefused e) {
      // why at once: an address rule gives the same answer on every attempt
      deliveries.failed(due, null, clip(e.getMessage()));
      log.warn("callback {} of {} {} refused: {}", due.id(), due.subject(), due.subjectId(), e.getMessage());
    } catch (FetchFailed e) {
      again(due, null, e.getMessage());
    }
  }

  private void again(CallbackDeliveries.Due due, Integer status, String error) {
    if (due.attempt() >= settings.maxAttempts()) {
      deliveries.failed(due, status, clip(error + " (attempt " + due.attempt() + " of " + settings.maxAttempts() + ")"));
      log.warn("callback {} of {} {} failed after {} attempts: {}", due.id(), due.subject(), due.subjectId(),
          due.attempt(), error);
    } else {
      deliveries.retryLater(due, status, clip(error), backoff.delayFor(due.attempt() - 1));
    }
  }

  private static String clip(String text) {
    return text == null || text.length() <= ERROR_CHARS ? text : text.substring(0, ERROR_CHARS) + "…";
  }

  /** Stops the loop; a POST in flight is given a moment, then interrupted (its row becomes due again). */
  @Override
  public void close() {
    if (loop != null) {
      loop.shutdownNow();
      try {
        loop.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
