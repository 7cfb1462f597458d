package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.scheduler.RunContext;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * All SQL of monitoring_alerts. At most one active alert per (alert_type, alert_key) (a partial
 * unique index): raising an alert that is already active refreshes it in place; an active alert
 * whose condition is gone is resolved.
 */
final class Alerts {
  // why xmax = 0: it is true only for a freshly inserted row, so one statement both raises and
  // refreshes and still tells the two apart.
  private static final String RAISE = """
      insert into monitoring_alerts (alert_type, alert_key, severity, message, metadata)
      values (:type, :key, :severity, :message, cast(:metadata as jsonb))
      on conflict (alert_type, alert_key) where status = 'active'
      do update set severity = excluded.severity, message = excluded.message,
                    metadata = excluded.metadata || jsonb_build_object(
                        'refreshed_at', now(),
                        'refreshes', coalesce((monitoring_alerts.metadata ->> 'refreshes')::integer, 0) + 1)
      returning xmax = 0 as inserted""";

  private static final String RESOLVE_CLEARED = """
      update monitoring_alerts a
         set status = 'resolved', resolved_at = now(),
             metadata = a.metadata || jsonb_build_object('resolved_trigger_type', cast(:trigger as text),
                                                         'resolved_run_id', cast(:runId as bigint))
       where a.status = 'active' and a.alert_type = any(:types)
         and not exists (select 1 from unnest(:currentTypes, :currentKeys) as c(t, k)
                          where c.t = a.alert_type and c.k = a.alert_key)""";

  private Alerts() {}

  /** Raises the alert, or refreshes the active one of the same type and key; true when it is new. */
  static boolean raise(Handle h, Alert alert, RunContext run) {
    ObjectNode metadata = Json.object().put("trigger_type", run.triggerType()).put("run_id", run.runId());
    metadata.setAll(alert.details());
    return h.createQuery(RAISE)
        .bind("type", alert.type())
        .bind("key", alert.key())
        .bind("severity", alert.severity())
        .bind("message", alert.message())
        .bind("metadata", Json.write(metadata))
        .mapTo(Boolean.class).one();
  }

  /** Resolves the active alerts of the given types that are not among the current ones; returns how many. */
  static int resolveCleared(Handle h, List<String> types, List<Alert> current, RunContext run) {
    return h.createUpdate(RESOLVE_CLEARED)
        .bind("trigger", run.triggerType())
        .bind("runId", run.runId())
        .bind("types", types.toArray(String[]::new))
        .bind("currentTypes", current.stream().map(Alert::type).toArray(String[]::new))
        .bind("currentKeys", current.stream().map(Alert::key).toArray(String[]::new))
        .execute();
  }

  static long active(Handle h) {
    return h.createQuery("select count(*) from monitoring_alerts where status = 'active'").mapTo(Long.class).one();
  }
}
