package io.planperfect.callbacks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a callback's body: {@code sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>}, the
 * timestamp being the {@code X-PlanPerfect-Timestamp} header (Unix seconds) sent with it. The secret is
 * {@code PLANPERFECT_WEBHOOK_SECRET}, or when unset {@link #derivedSecret derived} from the service key.
 */
public final class CallbackSigner {
  public static final String TIMESTAMP_HEADER = "X-PlanPerfect-Timestamp";
  public static final String SIGNATURE_HEADER = "X-PlanPerfect-Signature";
  /** What the derived secret is the HMAC of, keyed by the service key. */
  static final String DERIVATION_LABEL = "planperfect-webhook-secret";

  private final byte[] secret;

  public CallbackSigner(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The secret when none is configured: hex of HMAC-SHA256(service key, "planperfect-webhook-secret"),
   * i.e. {@code printf %s planperfect-webhook-secret | openssl dgst -sha256 -hmac "$SERVICE_KEY"}.
   */
  public static String derivedSecret(String serviceKey) {
    return HexFormat.of().formatHex(hmac(serviceKey.getBytes(StandardCharsets.UTF_8),
        DERIVATION_LABEL.getBytes(StandardCharsets.UTF_8)));
  }

  /** The signature header's value for a body sent at {@code timestamp} (Unix seconds). */
  public String signature(long timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return "sha256=" + HexFormat.of().formatHex(hmac(secret, signed));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
