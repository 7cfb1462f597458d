package io.planperfect.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two API keys. Taken from the environment when set; otherwise generated once and kept in
 * {@code <dataDir>/keys.properties}. Compared in constant time on SHA-256 digests, so neither
 * the key's length nor its content leaks through timing.
 */
public final class ApiKeys {
  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
  private static final String FILE = "keys.properties";

  private final String serviceKey;
  private final String anonKey;
  private final byte[] serviceDigest;
  private final byte[] anonDigest;
  // null without a metrics token: then only the service key reads /metrics
  private final byte[] metricsDigest;

  public ApiKeys(String serviceKey, String anonKey) {
    this(serviceKey, anonKey, Optional.empty());
  }

  private ApiKeys(String serviceKey, String anonKey, Optional<String> metricsToken) {
    this.serviceKey = serviceKey;
    this.anonKey = anonKey;
    this.serviceDigest = sha256(serviceKey);
    this.anonDigest = sha256(anonKey);
    this.metricsDigest = metricsToken.map(ApiKeys::sha256).orElse(null);
  }

  /** These keys, plus a token that may read {@code /metrics} (and nothing else), when one is given. */
  public ApiKeys withMetricsToken(Optional<String> token) {
    return new ApiKeys(serviceKey, anonKey, token);
  }

  /** The configured keys, or the ones stored in the data dir, generating and storing them on first use. */
  public static ApiKeys resolve(Optional<String> service, Optional<String> anon, Path dataDir) {
    if (service.isPresent() && anon.isPresent()) {
      return new ApiKeys(service.get(), anon.get());
    }
    Properties stored = loadOrCreate(dataDir.resolve(FILE));
    return new ApiKeys(service.orElse(stored.getProperty("service_key")), anon.orElse(stored.getProperty("anon_key")));
  }

  public String serviceKey() {
    return serviceKey;
  }

  public String anonKey() {
    return anonKey;
  }

  /** The access a presented key grants, or empty when it matches neither key. */
  Optional<Access> accessOf(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    boolean service = MessageDigest.isEqual(digest, serviceDigest);
    boolean anon = MessageDigest.isEqual(digest, anonDigest);
    boolean metrics = metricsDigest != null && MessageDigest.isEqual(digest, metricsDigest);
    return service ? Optional.of(Access.SERVICE) : anon ? Optional.of(Access.ANON)
        : metrics ? Optional.of(Access.METRICS) : Optional.empty();
  }

  private static Properties loadOrCreate(Path file) {
    Properties keys = new Properties();
    try {
      if (Files.exists(file)) {
        try (var in = Files.newInputStream(file)) {
          keys.load(in);
        }
        return keys;
      }
      Files.createDirectories(file.getParent());
      keys.setProperty("service_key", generate("pp_service_"));
      keys.setProperty("anon_key", generate("pp_anon_"));
      try (var out = Files.newOutputStream(file)) {
        keys.store(out, "PlanPerfect API keys (generated once; PLANPERFECT_SERVICE_KEY / PLANPERFECT_ANON_KEY override)");
      }
      restrictToOwner(file);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write API keys in " + file, e);
    }
  }

  private static void restrictToOwner(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // why: not every file system has POSIX permissions; the key file still works there.
      log.info("{} is on a file system without POSIX permissions; restrict its access by other means", file);
    } catch (IOException e) {
      // why: the keys still work, but the operator must know that others may read them.
      log.warn("could not restrict {} to its owner (rw-------): {}", file, e.toString());
    }
  }

  private static String generate(String prefix) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
