-- Seed 003's sweeper log: one row per sweep.
create table sweeper_logs (
    id                bigserial primary key,
    timestamp         timestamptz not null default now(),
    action            text        not null,
    status            text        not null,
    records_processed integer     not null default 0,
    duration_ms       integer,
    error_details     jsonb,
    metadata          jsonb       not null default '{}'::jsonb
);
create index sweeper_logs_timestamp_idx on sweeper_logs (timestamp desc);
