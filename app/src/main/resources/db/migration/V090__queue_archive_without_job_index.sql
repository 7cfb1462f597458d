-- Issue 20 item 3: one index fewer on every archived message (every stage transition archives one).
-- queue_archive_job_idx (job_id, stage) was the archive's one random-order index: each insert
-- dirtied a leaf anywhere in it (and after a checkpoint wrote that page whole to the WAL).
-- Nothing on the hot path reads it: the node only inserts archive rows; retention deletes by
-- archived_at; metrics count by queue_name (queue_archive_queue_idx). The one reader by job, the
-- admin listing GET /queues/{name}/archive?job_id=, now reads queue_archive_queue_idx from the
-- job's creation onwards (QueueAdmin.archived), so it scans only what was archived since.
drop index if exists queue_archive_job_idx;
