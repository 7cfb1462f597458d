-- The change feed reads job_events after a sequence number, in order, as often as stages commit. With
-- the BRIN index of V011 every read scanned the table's unsummarised tail (all rows since the last
-- summarisation) and sorted it: milliseconds per read at load, one read per commit, and the feed's
-- latency at 80% of capacity grew to tens of milliseconds at p50 (BENCHMARKS "Live progress"). A btree
-- reads the rows after a number directly; appending at its right edge is the cheap case of a btree insert.
drop index if exists job_events_seq_brin;
create index job_events_seq_idx on job_events (seq);
