package io.planperfect.db;

import java.net.URI;

/** Where a PostgreSQL server is and how to log in to it. */
public record DatabaseAddress(String jdbcUrl, String user, String password) {

  /** The URL with any password removed, fit for logs and start-up output. */
  public String displayUrl() {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /** Host, port and database name parsed from a jdbc:postgresql:// URL (for psql). */
  public URI uri() {
    return URI.create(jdbcUrl.substring("jdbc:".length()));
  }
}
