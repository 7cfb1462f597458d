package io.planperfect.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
record Cidr(byte[] network, int prefix) {

  static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    byte[] address = literal(parts[0]);
    int bits = address.length * 8;
    int prefix = parts.length == 2 ? parsePrefix(text, parts[1], bits) : bits;
    return new Cidr(address, prefix);
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static int parsePrefix(String text, String prefix, int bits) {
    try {
      int value = Integer.parseInt(prefix.trim());
      if (value < 0 || value > bits) {
        throw new IllegalArgumentException("prefix of " + text + " must be 0.." + bits);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an address block: " + text);
    }
  }

  /** An address literal, never a name (no lookup happens). */
  private static byte[] literal(String text) {
    String value = text.trim();
    if (!value.contains(":") && !HostSpelling.isCanonicalIpv4(value)) {
      throw new IllegalArgumentException("not an address block: " + text);
    }
    try {
      return InetAddress.getByName(value).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address block: " + text, e);
    }
  }
}
