-- Issue 20 item 2: fewer index entries and WAL records per stage transition (docs/PERFORMANCE.md,
-- "After V060"). A transition inserts three job_events rows and updates jobs, stage_slots and job_stages
-- twice or more each; what follows removes the index entries those writes paid for no reader.

-- job_events: seq is the key. The uuid id was the primary key, read by no query (the change feed reads
-- by seq, a job's trail by job_id, cleanup deletes by seq); its random values scattered one index entry
-- per event over the whole index. seq already had a btree of its own (V041): as the key it serves the
-- feed alone, and each event writes one entry fewer. The id column stays (the seed views show it).
alter table job_events drop constraint job_events_pkey;
alter table job_events add constraint job_events_pkey primary key (seq);
drop index job_events_seq_idx;

-- The per-stage activity window (StageActivity: completed, error, retry_scheduled and dead_lettered
-- events of one stage since a time) is all that reads this index: the 'processing', 'queued',
-- 'skipped' and other events of a transition no longer get an entry in it (one of three per transition).
drop index job_events_stage_idx;
create index job_events_stage_idx on job_events (pipeline, stage, event_type, created_at desc)
    where event_type in ('completed', 'error', 'retry_scheduled', 'dead_lettered');

-- The dashboard's last-hour figures (ActivityReads) read events by created_at alone. Rows are appended
-- in created_at order, so a BRIN finds the last hour's pages; appending to the table's last, partial
-- range writes nothing to it (vacuum summarises only full ranges), so it costs the hot path nothing.
create index job_events_created_brin on job_events using brin (created_at);

-- jobs: a transition updates its job twice (the claim: processing, the completion: the next stage
-- queued); with status in two indexes (one of them only in a partial index's predicate, which counts
-- the same) and no free room on full pages, neither update was HOT: each wrote an entry into every
-- index. Now no index holds a column a transition changes (status, stage, attempt_count, the
-- last_*_at times, updated_at, result), and a fillfactor of 70 leaves room on each page for the new
-- row versions, so both updates are HOT: no index entry at all.
alter table jobs set (fillfactor = 70);

-- The job list filtered by pipeline, newest first after a cursor (JobSearch), and the views of one
-- pipeline (R__generation, R__projections). A status filter is checked on the rows these indexes read.
drop index jobs_pipeline_status_idx;
create index jobs_pipeline_newest_first_idx on jobs (pipeline, created_at desc, id desc);

-- Promotion asks for the scheduled jobs that are due, by scheduled_at. A job is scheduled exactly
-- while first_queued_at is null (intake sets it for a job queued at once, promotion when it queues a
-- scheduled one) and no transition changes first_queued_at, so this predicate keeps the index small
-- without blocking HOT. Promotion still checks status = 'scheduled' (a scheduled job cancelled before
-- its time stays in the index, and is passed over).
drop index jobs_scheduled_due_idx;
create index jobs_scheduled_due_idx on jobs (scheduled_at) where first_queued_at is null;

-- A batch's jobs in creation order (BatchReads, BatchCancellation); a status filter is checked on the
-- batch's rows (at most the batch's size).
drop index jobs_batch_idx;
create index jobs_batch_idx on jobs (batch_id, created_at, id) where batch_id is not null;

-- stage_slots: the partial index on lease made every claim and release of a slot write the lease into
-- or out of an index, so none was HOT. The functions now find a slot by its stage (the primary key's
-- prefix: at most the stage's limit of rows) and then its lease; claims and releases are HOT.
drop index stage_slots_lease_idx;

-- job_stages: three updates per stage run (queued, processing, completed) on rows written six to a job
-- at intake; a fillfactor of 80 leaves room for their new versions on the page, so more of them are HOT.
alter table job_stages set (fillfactor = 80);
