package io.planperfect.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The one way stage work reaches the network. Each URL (and each redirect hop) passes {@link UrlRules}
 * before a socket opens; the host is resolved once and the connection goes to those addresses only
 * (no second lookup, so a rebinding name gains nothing); at most five redirects, each re-checked; the
 * body is read to at most {@code maxBytes} once decoded (a gzip bomb stops at the cap); the whole
 * request, redirects and robots.txt included, ends by the time cap; only HTML and text for pages;
 * robots.txt honoured unless the caller says otherwise (each site's read kept an hour). Thread-safe; one
 * per node.
 */
public final class GuardedFetcher {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> PAGE_TYPES = Set.of("text/html", "application/xhtml+xml", "text/plain");
  private static final int ROBOTS_CACHE = 256;
  private static final long ROBOTS_TTL_NANOS = Duration.ofHours(1).toNanos();

  /** A site's robots.txt as read at {@code readAt} (System.nanoTime), kept for an hour. */
  private record CachedRobots(RobotsTxt robots, long readAt) {}

  private final FetchPolicy policy;
  private final UrlRules rules;
  private final OkHttpClient client;
  private final AtomicLong connectAttempts = new AtomicLong();
  private final Map<String, CachedRobots> robots = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CachedRobots> eldest) {
      return size() > ROBOTS_CACHE;
    }
  };

  public GuardedFetcher(FetchPolicy policy) {
    this(policy, HostResolver.SYSTEM);
  }

  public GuardedFetcher(FetchPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.rules = new UrlRules(policy.allow(), resolver);
    this.client = new OkHttpClient.Builder()
        .proxy(Proxy.NO_PROXY)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
        .connectTimeout(policy.timeout())
        .readTimeout(policy.timeout())
        .eventListener(new EventListener() {
          @Override
          public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            connectAttempts.incrementAndGet();
          }
        })
        .build();
  }

  public FetchPolicy policy() {
    return policy;
  }

  /**
   * Checks a URL against every rule that needs no connection (scheme, spelling, the addresses its
   * host resolves to): {@link FetchRefused} names the rule. A host that does not resolve is not refused
   * here (it may resolve later).
   */
  public void check(String url) {
    try {
      rules.target(url);
    } catch (FetchFailed unresolved) {
      // why: only a rule refuses; a name that does not resolve now may resolve when the stage runs
    }
  }

  /**
   * The URL as a page record keys it: scheme and host in lower case, default port and fragment
   * dropped, an empty path as "/". {@link FetchRefused} when it is no http(s) URL (no lookup happens).
   */
  public String normalise(String url) {
    return rules.parse(url).newBuilder().fragment(null).build().toString();
  }

  /** Reads a page: HTML or text, robots.txt honoured, redirects followed and re-checked. */
  public FetchedPage fetch(String url) {
    return fetch(url, FetchOptions.PAGE);
  }

  public FetchedPage fetch(String url, FetchOptions options) {
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    Target target = rules.target(url);
    List<String> hops = new ArrayList<>();
    while (true) {
      if (options.honourRobots() && !robotsFor(target, deadline).allows(target.pathAndQuery())) {
        throw new FetchRefused("robots", target.url().toString(), "robots.txt of " + target.origin() + " disallows it");
      }
      Request request = request(target).get().build();
      try (Response response = call(target, request, deadline)) {
        String location = response.header("Location");
        if (REDIRECTS.contains(response.code()) && location != null) {
          hops.add(target.url().toString());
          target = redirect(url, target, location, hops.size());
          continue;
        }
        return read(url, target, response, hops, options.pagesOnly());
      } catch (IOException e) {
        throw failed(target, e);
      }
    }
  }

  /** Sends a body (a webhook): the address checked like a page's, no redirect followed, any answer type. */
  public FetchedPage post(String url, String mediaType, byte[] body, Map<String, String> headers) {
    long deadline = System.nanoTime() + policy.timeout().toNanos();
    Target target = rules.target(url);
    Request.Builder builder = request(target).post(RequestBody.create(body, MediaType.get(mediaType)));
    headers.forEach(builder::header);
    try (Response response = call(target, builder.build(), deadline)) {
      return read(url, target, response, List.of(), false);
    } catch (IOException e) {
      throw failed(target, e);
    }
  }

  /** How many TCP connections this fetcher began: zero after a refusal, whatever the URL. */
  public long connectAttempts() {
    return connectAttempts.get();
  }

  private Target redirect(String original, Target from, String location, int hop) {
    if (hop > policy.maxRedirects()) {
      throw new FetchRefused("redirects", original, "more than " + policy.maxRedirects() + " redirects");
    }
    okhttp3.HttpUrl next = from.url().resolve(location);
    String nextUrl = next == null ? location : next.toString();
    return rules.target(nextUrl);
  }

  private Request.Builder request(Target target) {
    return new Request.Builder()
        .url(target.url())
        .header("User-Agent", policy.userAgent())
        .header("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1");
  }

  private Response call(Target target, Request request, long deadline) throws IOException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new FetchFailed(target.url().toString(), "time cap of " + policy.timeout().toSeconds() + " s reached", null);
    }
    List<InetAddress> pinned = target.addresses();
    OkHttpClient pinnedClient = client.newBuilder()
        .dns(host -> pinned)
        .callTimeout(Duration.ofNanos(remaining))
        .build();
    return pinnedClient.newCall(request).execute();
  }

  private FetchedPage read(String requested, Target target, Response response, List<String> hops, boolean pagesOnly)
      throws IOException {
    ResponseBody body = response.body();
    MediaType type = body == null ? null : body.contentType();
    String mediaType = type == null ? null : type.type() + "/" + type.subtype();
    if (pagesOnly && response.isSuccessful() && (mediaType == null || !PAGE_TYPES.contains(mediaType))) {
      throw new FetchRefused("content_type", target.url().toString(), "only HTML and text are read, got " + mediaType);
    }
    if (body != null && body.contentLength() > policy.maxBytes()) {
      throw tooLarge(target, body.contentLength() + " bytes announced");
    }
    Buffer buffer = new Buffer();
    if (body != null) {
      BufferedSource source = body.source();
      while (buffer.size() <= policy.maxBytes() && source.read(buffer, 8192) != -1) {
        // reading up to one chunk past the cap, no further
      }
    }
    if (buffer.size() > policy.maxBytes()) {
      throw tooLarge(target, "more than " + policy.maxBytes() + " bytes");
    }
    long bytes = buffer.size();
    String text = buffer.readString(type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8));
    return new FetchedPage(requested, target.url().toString(), response.code(), mediaType, text, bytes, hops);
  }

  private RobotsTxt robotsFor(Target target, long deadline) {
    String origin = target.origin();
    synchronized (robots) {
      CachedRobots known = robots.get(origin);
      if (known != null && System.nanoTime() - known.readAt() < ROBOTS_TTL_NANOS) {
        return known.robots();
      }
    }
    RobotsTxt fetched = readRobots(target, deadline);
    synchronized (robots) {
      robots.put(origin, new CachedRobots(fetched, System.nanoTime()));
    }
    return fetched;
  }

  /** A robots.txt that is missing (4xx) or not readable allows everything; a refused one is honoured as refused. */
  private RobotsTxt readRobots(Target target, long deadline) {
    Target robotsTarget = new Target(target.url().resolve("/robots.txt"), target.addresses());
    try (Response response = call(robotsTarget, request(robotsTarget).get().build(), deadline)) {
      if (!response.isSuccessful()) {
        return RobotsTxt.ALLOW_ALL;
      }
      FetchedPage page = read(robotsTarget.url().toString(), robotsTarget, response, List.of(), false);
      return RobotsTxt.parse(page.body(), FetchPolicy.ROBOTS_TOKEN);
    } catch (IOException | FetchRefused | FetchFailed e) {
      return RobotsTxt.ALLOW_ALL;
    }
  }

  private FetchRefused tooLarge(Target target, String detail) {
    return new FetchRefused("max_bytes", target.url().toString(), detail + "; the cap is " + policy.maxBytes() + " bytes");
  }

  private FetchFailed failed(Target target, IOException e) {
    String reason = e instanceof InterruptedIOException
        ? "no complete answer within the time cap of " + policy.timeout().toMillis() + " ms"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new FetchFailed(target.url().toString(), reason, e);
  }
}
