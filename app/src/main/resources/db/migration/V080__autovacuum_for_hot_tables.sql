-- Issue 20 item 6: autovacuum settings for the tables every stage transition writes (docs/OPERATIONS.md,
-- "Autovacuum"). PostgreSQL's defaults wait for 20% of a table to be dead (10% to re-analyze, 20% of
-- inserts for an insert-only table) before they act: with a million events that is 200,000 dead or new
-- rows, long enough for the claim's and the cleanup's index ranges to fill with dead entries and for the
-- planner's statistics of "recent" rows to go stale. These tables churn at a steady rate, so they are
-- vacuumed and analyzed after a fixed share of 1-2% plus a floor. queue_messages has its own since V001.

-- jobs: two updates per transition (claim, completion). HOT when no indexed column changes, but the old
-- versions still have to be pruned; job_stages: one or two updates of a stage row per transition.
alter table jobs set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
                      autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
alter table job_stages set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
                            autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);

-- job_events, queue_archive, job_payloads: appended at every transition, deleted only by the cleanup job
-- in batches. Insert-triggered vacuums keep the visibility map current (index-only scans of the change
-- feed and of the cleanup's walk by key), and the deletes' dead rows are reclaimed soon after a run.
alter table job_events set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 10000,
                            autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_insert_threshold = 10000,
                            autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 10000);
alter table queue_archive set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 10000,
                               autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_insert_threshold = 10000,
                               autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 10000);
alter table job_payloads set (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_insert_threshold = 10000,
                              autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 10000);

-- stage_slots: a few dozen rows, each rewritten by every claim and every completion of its stage, so
-- the default threshold (50 dead rows plus 20%) is passed at every autovacuum round under load; without
-- a cost delay its vacuum is over in milliseconds instead of pausing between pages while claims wait.
alter table stage_slots set (autovacuum_vacuum_cost_delay = 0);
