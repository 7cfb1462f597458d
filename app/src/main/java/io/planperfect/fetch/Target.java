package io.planperfect.fetch;

import java.net.InetAddress;
import java.util.List;
import okhttp3.HttpUrl;

/** An address the rules let through, with the addresses its host resolved to: the only ones connected to. */
record Target(HttpUrl url, List<InetAddress> addresses) {
  Target {
    addresses = List.copyOf(addresses);
  }

  String origin() {
    return url.scheme() + "://" + url.host() + ":" + url.port();
  }

  String pathAndQuery() {
    String query = url.encodedQuery();
    return url.encodedPath() + (query == null ? "" : "?" + query);
  }
}
