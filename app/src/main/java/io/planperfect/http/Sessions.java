package io.planperfect.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sessions: a browser that presented an API key once holds a signed cookie instead.
 * The cookie's value is {@code <access>.<expires epoch seconds>.<csrf token>} and an HMAC-SHA256 over
 * it, keyed by a secret derived from the service key: every node with the same keys accepts it, no
 * session is stored, and changing the service key ends every session. The CSRF token travels inside
 * the signed value, so a form's token is checked against the session it came with.
 */
public final class Sessions {
  /** The cookie's name. */
  public static final String COOKIE = "pp_session";
  /** How long a login lasts. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  /** A verified session: who it is for, until when, and the token its state-changing requests carry. */
  public record Session(Access access, Instant expires, String csrfToken) {
    public boolean isService() {
      return access == Access.SERVICE;
    }

    /** True when the presented token is this session's (compared in constant time). */
    public boolean acceptsCsrf(String presented) {
      return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
          csrfToken.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiKeys keys;
  private final byte[] secret;
  private final Clock clock;

  public Sessions(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
    this.secret = hmac("planperfect dashboard session v1".getBytes(StandardCharsets.UTF_8),
        keys.serviceKey().getBytes(StandardCharsets.UTF_8));
  }

  /** A new session's cookie value for the presented key, or empty when the key is neither API key. */
  public Optional<String> login(String presentedKey) {
    return keys.accessOf(presentedKey).map(this::issue);
  }

  String issue(Access access) {
    byte[] token = new byte[24];
    RANDOM.nextBytes(token);
    String body = access.name() + "." + clock.instant().plus(LIFETIME).getEpochSecond() + "." + B64.encodeToString(token);
    return body + "." + signature(body);
  }

  /** The session a cookie value proves, or empty when it is missing, altered or expired. */
  public Optional<Session> verify(String cookie) {
    if (cookie == null || cookie.length() > 512) {
      return Optional.empty();
    }
    int cut = cookie.lastIndexOf('.');
    if (cut < 0) {
      return Optional.empty();
    }
    String body = cookie.substring(0, cut);
    if (!MessageDigest.isEqual(signature(body).getBytes(StandardCharsets.US_ASCII),
        cookie.substring(cut + 1).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    String[] parts = body.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
      if (!clock.instant().isBefore(expires)) {
        return Optional.empty();
      }
      return Optional.of(new Session(Access.valueOf(parts[0]), expires, parts[2]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private String signature(String body) {
    return B64.encodeToString(hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
