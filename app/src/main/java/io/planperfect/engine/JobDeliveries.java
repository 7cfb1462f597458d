package io.planperfect.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.json.Json;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A job's completion deliveries as the API shows them: what the job asked for (its callback_url, whether
 * its requester is mailed) and each delivery owed since it ended (webhook or mail: status pending,
 * delivered or failed, attempts, the last answer and error). Empty until the job ends.
 */
public final class JobDeliveries {
  private static final String JSON = """
      select jsonb_build_object('job_id', j.id, 'callback_url', j.callback_url, 'mail_requester', j.mail_requester,
        'deliveries', coalesce((select jsonb_agg(jsonb_build_object('id', d.id, 'kind', d.kind, 'url', d.url,
                    'status', d.status, 'attempts', d.attempts, 'last_status', d.last_status,
                    'last_error', d.last_error, 'delivered_at', d.delivered_at, 'created_at', d.created_at,
                    'next_attempt_at', case when d.status = 'pending' then d.next_attempt_at end) order by d.id)
           from callback_deliveries d where d.subject = 'job' and d.subject_id = j.id), '[]'::jsonb))::text
        from jobs j where j.id = :id""";

  private final Jdbi jdbi;

  public JobDeliveries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public JsonNode of(UUID job) {
    return jdbi.withHandle(h -> h.createQuery(JSON).bind("id", job).mapTo(String.class).findOne())
        .map(Json::read).orElseThrow(() -> new IllegalArgumentException("no job " + job));
  }
}
