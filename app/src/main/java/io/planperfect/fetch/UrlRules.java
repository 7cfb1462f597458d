package io.planperfect.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Every check a URL passes before a socket opens: http or https only, no user info, no odd IPv4
 * spelling, and each address the host resolves to (once) allowed by {@link AddressRules} or by the
 * operator's {@link AllowList}. A name with one refused address among several is refused.
 */
final class UrlRules {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");

  private final AllowList allow;
  private final HostResolver resolver;

  UrlRules(AllowList allow, HostResolver resolver) {
    this.allow = allow;
    this.resolver = resolver;
  }

  /** The parsed URL with its resolved addresses; {@link FetchRefused} by rule, {@link FetchFailed} when the name does not resolve. */
  Target target(String url) {
    HttpUrl parsed = parse(url);
    String host = parsed.host();
    if (HostSpelling.isOddIpv4(host)) {
      throw new FetchRefused("odd_ipv4_spelling", url, "host " + host + " is a numeric IPv4 form other than a dotted quad");
    }
    List<InetAddress> addresses = resolve(url, host);
    if (!allow.allowsHost(host)) {
      for (InetAddress address : addresses) {
        refusal(address).ifPresent(rule -> {
          throw new FetchRefused(rule, url, "host " + host + " resolves to " + address.getHostAddress());
        });
      }
    }
    return new Target(parsed, addresses);
  }

  HttpUrl parse(String url) {
    String trimmed = url == null ? "" : url.trim();
    Matcher scheme = SCHEME.matcher(trimmed);
    if (!scheme.find()) {
      throw new FetchRefused("malformed_url", trimmed, "no scheme");
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!name.equals("http") && !name.equals("https")) {
      throw new FetchRefused("scheme", trimmed, "only http and https are fetched, not " + name);
    }
    HttpUrl parsed = HttpUrl.parse(trimmed);
    if (parsed == null) {
      throw new FetchRefused("malformed_url", trimmed, "not a valid http(s) URL");
    }
    if (!parsed.encodedUsername().isEmpty() || !parsed.encodedPassword().isEmpty()) {
      throw new FetchRefused("userinfo", trimmed, "user names and passwords in URLs are not sent");
    }
    return parsed;
  }

  private Optional<String> refusal(InetAddress address) {
    return allow.allowsAddress(address) ? Optional.empty() : AddressRules.refusal(address);
  }

  private List<InetAddress> resolve(String url, String host) {
    try {
      if (HostSpelling.isIpv6Literal(host) || HostSpelling.isCanonicalIpv4(host)) {
        return List.of(InetAddress.getByName(host));
      }
      List<InetAddress> addresses = resolver.resolve(host);
      if (addresses.isEmpty()) {
        throw new UnknownHostException(host);
      }
      return addresses;
    } catch (UnknownHostException e) {
      throw new FetchFailed(url, "host " + host + " does not resolve", e);
    }
  }
}
