-- The change feed reads job_events by seq (rows after a number, in order). A btree on seq cost one more
-- index insert (and its WAL and vacuum work) per event on the hottest table; rows are written in seq
-- order, so a BRIN index finds the recent ranges the feed reads at a fraction of that cost.
drop index job_events_seq_idx;
create index job_events_seq_brin on job_events using brin (seq);
