package io.planperfect.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Jetty's DEBUG and TRACE events, whatever level an operator sets: at those levels Jetty logs
 * every request's headers, the API key in {@code Authorization} among them (S5: no secret in logs).
 * Installed by {@code logback.xml}; Jetty's INFO and above still pass.
 */
public final class NoWireDebugLogs extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level != null && !level.isGreaterOrEqual(Level.INFO) && logger.getName().startsWith("org.eclipse.jetty")
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
