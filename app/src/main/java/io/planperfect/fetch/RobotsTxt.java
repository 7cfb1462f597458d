package io.planperfect.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A site's robots.txt as RFC 9309 reads it: the group naming our token (else the {@code *} group),
 * the longest matching rule wins, {@code Allow} wins a tie, {@code *} and {@code $} in paths.
 */
final class RobotsTxt {
  static final RobotsTxt ALLOW_ALL = new RobotsTxt(List.of());

  private record Rule(boolean allow, String path, Pattern pattern) {}

  private final List<Rule> rules;

  private RobotsTxt(List<Rule> rules) {
    this.rules = rules;
  }

  static RobotsTxt parse(String text, String token) {
    List<Rule> ours = new ArrayList<>();
    List<Rule> anyone = new ArrayList<>();
    List<String> agents = new ArrayList<>();
    List<Rule> current = new ArrayList<>();
    boolean inRules = false;
    boolean matchedOurs = false;
    for (String raw : text.split("\\r?\\n|\\r")) {
      String line = raw.replaceFirst("#.*", "").trim();
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (key.equals("user-agent")) {
        if (inRules) {
          matchedOurs |= file(agents, current, ours, anyone, token);
          agents = new ArrayList<>();
          current = new ArrayList<>();
          inRules = false;
        }
        agents.add(value.toLowerCase(Locale.ROOT));
      } else if ((key.equals("allow") || key.equals("disallow")) && !agents.isEmpty()) {
        inRules = true;
        if (!value.isEmpty()) {
          current.add(new Rule(key.equals("allow"), value, pattern(value)));
        }
      }
    }
    matchedOurs |= file(agents, current, ours, anyone, token);
    return new RobotsTxt(matchedOurs ? ours : anyone);
  }

  /** Whether a path (with its query) may be fetched. */
  boolean allows(String pathAndQuery) {
    Rule best = null;
    for (Rule rule : rules) {
      if (rule.pattern().matcher(pathAndQuery).lookingAt()
          && (best == null || rule.path().length() > best.path().length()
              || (rule.path().length() == best.path().length() && rule.allow()))) {
        best = rule;
      }
    }
    return best == null || best.allow();
  }

  private static boolean file(List<String> agents, List<Rule> rules, List<Rule> ours, List<Rule> anyone, String token) {
    boolean isOurs = agents.stream().anyMatch(agent -> !agent.isEmpty() && token.toLowerCase(Locale.ROOT).startsWith(agent) && !agent.equals("*"));
    if (isOurs) {
      ours.addAll(rules);
    } else if (agents.contains("*")) {
      anyone.addAll(rules);
    }
    return isOurs;
  }

  private static Pattern pattern(String path) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '$' && i == path.length() - 1) {
        regex.append("$");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
