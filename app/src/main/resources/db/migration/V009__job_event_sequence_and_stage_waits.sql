-- Issue 14, the seams pipelines need: stages a job passes over, stages that ask to run later, and a
-- change feed with a sequence number per event.

-- The change feed: every event of every job, in the order its row was written (gaps are possible
-- where a transaction rolled back; JobChanges waits briefly for one to fill before it passes it).
alter table job_events add column seq bigint generated always as identity;
create index job_events_seq_idx on job_events (seq);

-- The moment a stage first asked to run later in its current attempt (RetryLater); a failed
-- attempt clears it, so each attempt may wait up to the stage's maximum.
alter table job_stages add column waiting_since timestamptz;
