package io.planperfect.maintenance;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/** A component's health, in increasing order of trouble; stored lower-case in health_checks.status. */
enum HealthStatus {
  HEALTHY, DEGRADED, UNHEALTHY;

  String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static HealthStatus worst(Collection<HealthStatus> statuses) {
    return statuses.stream().max(Comparator.naturalOrder()).orElse(HEALTHY);
  }
}
