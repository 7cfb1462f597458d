package io.planperfect.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Where completion e-mail goes: {@code PLANPERFECT_SMTP_URL}, {@code smtp://[user[:password]@]host[:port]}
 * (STARTTLS when the server offers it; port 587 by default) or {@code smtps://...} (TLS from the start;
 * port 465), user and password percent-encoded. {@code toString} never shows the password.
 */
public record SmtpAddress(boolean tls, String host, int port, Optional<String> user, Optional<String> password) {
  static final String VARIABLE = "PLANPERFECT_SMTP_URL";

  public static SmtpAddress parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      // why not e.getMessage(): it quotes the URL, password and all
      throw invalid("not a URL");
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
      throw invalid("the scheme must be smtp or smtps");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw invalid("a host is required");
    }
    boolean tls = scheme.equals("smtps");
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
      password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
    }
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 587;
    return new SmtpAddress(tls, uri.getHost(), port, user, password);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("invalid configuration: " + VARIABLE + ": " + why
        + " (expected smtp://user:password@host:port or smtps://...)");
  }

  @Override
  public String toString() {
    return (tls ? "smtps://" : "smtp://") + user.map(u -> u + (password.isPresent() ? ":***" : "") + "@").orElse("")
        + host + ":" + port;
  }
}
