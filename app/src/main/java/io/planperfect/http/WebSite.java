package io.planperfect.http;

import io.javalin.config.JavalinConfig;

/**
 * What the server serves besides the API: the dashboard's pages and static files, registered on the
 * same server with their own access check (a session cookie, not a bearer key). {@link #NONE} serves
 * nothing more.
 */
public interface WebSite {
  WebSite NONE = config -> { };

  void configure(JavalinConfig config);
}
