package io.planperfect.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route: anyone holding the anon key (or the service key), only the service key, or
 * the metrics token ({@code PLANPERFECT_METRICS_TOKEN}, which opens {@code /metrics} and nothing else).
 */
public enum Access implements RouteRole {
  ANON, SERVICE, METRICS
}
