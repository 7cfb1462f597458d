package io.planperfect.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver for tests: names map to address literals (several answers, or a sequence of answers for a
 * rebinding name); any other name does not resolve. It never asks the system's DNS.
 */
final class TestResolver implements HostResolver {
  private final Map<String, Deque<List<String>>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  /** The name answers these addresses every time. */
  TestResolver name(String host, String... addresses) {
    Deque<List<String>> sequence = new ArrayDeque<>();
    sequence.add(List.of(addresses));
    answers.put(host, sequence);
    return this;
  }

  /** The name answers each list in turn, the last one ever after (a rebinding name with TTL 0). */
  TestResolver rebinding(String host, List<String> first, List<String> then) {
    Deque<List<String>> sequence = new ArrayDeque<>();
    sequence.add(first);
    sequence.add(then);
    answers.put(host, sequence);
    return this;
  }

  int lookups() {
    return lookups.get();
  }

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    Deque<List<String>> sequence = answers.get(host);
    if (sequence == null) {
      throw new UnknownHostException(host);
    }
    List<String> answer;
    synchronized (sequence) {
      answer = sequence.size() > 1 ? sequence.poll() : sequence.peek();
    }
    InetAddress[] addresses = new InetAddress[answer.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = InetAddress.getByName(answer.get(i)); // literals only: no lookup
    }
    return List.of(addresses);
  }
}
