package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.config.RateLimitSettings;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Request rate limits per API key, across the cluster without a database round trip: each node holds
 * one token bucket per key, refilled at the key's configured rate divided by the live nodes serving
 * HTTP (counted from cluster_nodes once per beat). A load balancer that spreads requests evenly thus
 * admits about the configured rate in all; a request beyond the node's share is answered 429 with
 * {@code Retry-After} (whole seconds until a token is back). A rate of 0 is no limit.
 */
public final class RateLimiter {
  private final Map<Access, Integer> perSecond = new EnumMap<>(Access.class);
  private final Map<Access, TokenBucket> buckets = new EnumMap<>(Access.class);
  private final IntSupplier liveNodes;
  private final LongSupplier nanoTime;

  public RateLimiter(RateLimitSettings settings, IntSupplier liveNodes) {
    this(settings, liveNodes, System::nanoTime);
  }

  RateLimiter(RateLimitSettings settings, IntSupplier liveNodes, LongSupplier nanoTime) {
    this.perSecond.put(Access.ANON, settings.anonPerSecond());
    this.perSecond.put(Access.SERVICE, settings.servicePerSecond());
    for (Access access : Access.values()) {
      buckets.put(access, new TokenBucket());
    }
    this.liveNodes = liveNodes;
    this.nanoTime = nanoTime;
  }

  /** No limits (a server built without a cluster, in tests of other things). */
  public static RateLimiter off() {
    return new RateLimiter(RateLimitSettings.OFF, () -> 1);
  }

  /** This node's share of a key's rate, in requests per second (0: no limit). */
  public double share(Access access) {
    // why a default: the metrics token (a scraper every few seconds) has no limit of its own
    int rate = perSecond.getOrDefault(access, 0);
    return rate == 0 ? 0 : (double) rate / Math.max(1, liveNodes.getAsInt());
  }

  /** Takes one request of the key's share: 0 when admitted, else the nanoseconds until it would be. */
  long take(Access access) {
    double share = share(access);
    return share == 0 ? 0 : buckets.get(access).take(share, nanoTime.getAsLong());
  }

  /** Lets the request through, or refuses it with 429 and Retry-After when its key used up this node's share. */
  void admit(Context ctx, Access access) {
    long waitNanos = take(access);
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      ctx.header("Retry-After", Long.toString(seconds));
      throw new ApiError(429, "rate_limited", "too many requests for this key (" + perSecond.get(access)
          + "/s across the cluster); retry after " + seconds + " s", null);
    }
  }
}
