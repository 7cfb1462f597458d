package io.planperfect.http;

import io.javalin.security.RouteRole;

/** Who may call a route: anyone holding the anon key (or the service key), or only the service key. */
public enum Access implements RouteRole {
  ANON, SERVICE
}
