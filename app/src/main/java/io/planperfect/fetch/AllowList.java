package io.planperfect.fetch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an operator opened with {@code PLANPERFECT_FETCH_ALLOW}: address blocks ({@code 10.1.0.0/16},
 * {@code 127.0.0.1}) whose addresses may be reached although a rule refuses them, and host names whose
 * addresses may be reached whatever they are. Empty by default. It never opens a scheme, an odd IPv4
 * spelling or a size or time cap.
 */
public record AllowList(List<Cidr> blocks, Set<String> hosts) {
  public static final AllowList NONE = new AllowList(List.of(), Set.of());

  public AllowList {
    blocks = List.copyOf(blocks);
    hosts = Set.copyOf(hosts);
  }

  /** Parses a comma- or space-separated list; an entry that is neither a block nor a host name is refused. */
  public static AllowList parse(String text) {
    List<Cidr> blocks = new ArrayList<>();
    Set<String> hosts = new TreeSet<>();
    if (text == null) {
      return NONE;
    }
    for (String entry : text.split("[,\\s]+")) {
      if (entry.isBlank()) {
        continue;
      }
      if (entry.contains("/") || entry.contains(":") || HostSpelling.isCanonicalIpv4(entry)) {
        blocks.add(Cidr.parse(entry));
      } else if (entry.matches("(?i)[a-z0-9]([a-z0-9.-]*[a-z0-9])?") && !HostSpelling.isOddIpv4(entry)) {
        hosts.add(entry.toLowerCase(Locale.ROOT));
      } else {
        throw new IllegalArgumentException("not an address block or host name: '" + entry + "'");
      }
    }
    return new AllowList(blocks, hosts);
  }

  boolean allowsHost(String host) {
    return hosts.contains(host.toLowerCase(Locale.ROOT));
  }

  boolean allowsAddress(InetAddress address) {
    return blocks.stream().anyMatch(block -> block.contains(address));
  }

  boolean isEmpty() {
    return blocks.isEmpty() && hosts.isEmpty();
  }
}
