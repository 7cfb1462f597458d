-- Where the sweeper, monitoring, metrics, health and cleanup jobs write (seed 003's names).

-- One row per sweep.
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

create table monitoring_alerts (
    id          bigserial primary key,
    timestamp   timestamptz not null default now(),
    alert_type  text        not null,
    -- what the alert is about (a stage, a queue, or the alert type itself)
    alert_key   text        not null default '',
    severity    text        not null check (severity in ('info', 'warning', 'critical')),
    message     text        not null,
    status      text        not null default 'active' check (status in ('active', 'resolved')),
    resolved_at timestamptz,
    metadata    jsonb       not null default '{}'::jsonb
);
create unique index monitoring_alerts_active_idx on monitoring_alerts (alert_type, alert_key) where status = 'active';
create index monitoring_alerts_timestamp_idx on monitoring_alerts (timestamp desc);

create table health_checks (
    id               bigserial primary key,
    timestamp        timestamptz not null default now(),
    component        text        not null,
    status           text        not null check (status in ('healthy', 'degraded', 'unhealthy')),
    response_time_ms integer,
    details          jsonb       not null default '{}'::jsonb,
    metadata         jsonb       not null default '{}'::jsonb
);
create index health_checks_timestamp_idx on health_checks (timestamp desc);

create table metrics_data (
    id           bigserial primary key,
    timestamp    timestamptz not null default now(),
    metric_type  text        not null,
    metric_name  text        not null,
    metric_value double precision not null,
    metric_unit  text,
    metadata     jsonb       not null default '{}'::jsonb
);
create index metrics_data_timestamp_idx on metrics_data (timestamp desc);
create index metrics_data_name_idx on metrics_data (metric_name, timestamp desc);

create table cleanup_logs (
    id                bigserial primary key,
    timestamp         timestamptz not null default now(),
    operation_type    text        not null,
    table_name        text        not null,
    records_processed integer     not null default 0,
    records_deleted   integer     not null default 0,
    duration_ms       integer,
    status            text        not null check (status in ('success', 'failed')),
    error_details     jsonb,
    metadata          jsonb       not null default '{}'::jsonb
);
create index cleanup_logs_timestamp_idx on cleanup_logs (timestamp desc);
