-- The job list (GET /api/v1/jobs, the dashboard's jobs page) is newest first, a page at a time after a
-- cursor (created_at, id). Without an index that reads in that order, every page sorted the whole
-- table: at a million jobs, a full scan per page. A btree in the list's own order makes a page an index
-- scan from the cursor: as many rows read as the page holds (more when filters skip rows). Neither
-- column ever changes, so no update of a job touches this index's entry.
create index jobs_newest_first_idx on jobs (created_at desc, id desc);
