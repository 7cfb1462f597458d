-- Cancelled jobs leave their unfinished stages 'cancelled'; dead letters are resolved by replay
-- or discard and kept for the record.
alter table job_stages drop constraint job_stages_status_check;
alter table job_stages add constraint job_stages_status_check
    check (status in ('pending', 'queued', 'processing', 'completed', 'error', 'skipped', 'dead_lettered', 'cancelled'));

alter table dead_letters
    add column resolved_at timestamptz,
    add column resolution  text check (resolution in ('replayed', 'discarded'));
create index dead_letters_open_idx on dead_letters (routed_at desc) where resolved_at is null;
