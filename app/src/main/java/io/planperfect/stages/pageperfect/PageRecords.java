package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The {@code pages} table as PagePerfect's intake hook writes it, inside the intake transaction: a URL
 * resolves to its record (created on first sight, url unique); a page id must name a record. The job's
 * stored payload gets the record's id and address, so every stage reads them from the job.
 */
final class PageRecords {
  private final Handle handle;

  PageRecords(Handle handle) {
    this.handle = handle;
  }

  UUID resolve(String url, UUID jobId) {
    return handle.createQuery("""
            insert into pages (url, last_job_id) values (:url, :job)
            on conflict (url) do update set last_job_id = excluded.last_job_id, updated_at = now()
            returning id""")
        .bind("url", url).bind("job", jobId).mapTo(UUID.class).one();
  }

  Optional<String> url(UUID pageId) {
    return handle.createQuery("select url from pages where id = :id").bind("id", pageId).mapTo(String.class).findOne();
  }

  void touch(UUID pageId, UUID jobId) {
    handle.createUpdate("update pages set last_job_id = :job, updated_at = now() where id = :id")
        .bind("id", pageId).bind("job", jobId).execute();
  }

  /** why: the job row was written before this hook ran; its stages read the page from the stored payload. */
  void recordPayload(UUID jobId, ObjectNode payload) {
    handle.createUpdate("update jobs set payload = cast(:payload as jsonb) where id = :id")
        .bind("payload", payload.toString()).bind("id", jobId).execute();
  }
}
