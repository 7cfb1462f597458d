package io.planperfect.fetch;

import java.util.regex.Pattern;

/**
 * How a URL's host is written. Numeric forms other than the canonical dotted quad ({@code 2130706433},
 * {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}, {@code 127.000.000.001}) are refused outright:
 * resolvers read them as addresses in ways that differ, so none of them is ever looked up.
 */
final class HostSpelling {
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("^(0x[0-9a-f]*|[0-9]+)$", Pattern.CASE_INSENSITIVE);

  private HostSpelling() {}

  static boolean isCanonicalIpv4(String host) {
    return CANONICAL_IPV4.matcher(host).matches();
  }

  static boolean isIpv6Literal(String host) {
    return host.contains(":");
  }

  /** True when every label is a number (decimal, octal or hex) but the whole is not a canonical dotted quad. */
  static boolean isOddIpv4(String host) {
    if (isCanonicalIpv4(host)) {
      return false;
    }
    String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (trimmed.isEmpty()) {
      return false;
    }
    for (String label : trimmed.split("\\.", -1)) {
      if (!NUMERIC_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
