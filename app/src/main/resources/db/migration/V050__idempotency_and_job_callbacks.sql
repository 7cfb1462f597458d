-- Issue 19 items 7 and 8: idempotent intake, and completion delivery for every job.
--
-- idempotency_keys: one row per (caller's key kind, Idempotency-Key) header seen on an intake that stored
-- something. The row is inserted (INSERT ... ON CONFLICT) in the transaction that creates the job or the
-- batch, before it; a concurrent duplicate waits on the primary key until that transaction ends, then reads
-- the stored answer. Kept 24 hours, then removed by the cleanup job (a row older than that is taken over by
-- the next request with its key).
create table idempotency_keys (
    -- whose key: the API key kind that sent it ('anon' or 'service'), so two callers never share a key
    scope           text        not null,
    idempotency_key text        not null check (length(idempotency_key) between 1 and 255),
    -- hex SHA-256 of the method, path, query and body: the same key with another request is refused
    request_hash    text        not null,
    -- what intake answered (job or batch receipt); written in the same transaction as the row
    answer          jsonb,
    created_at      timestamptz not null default now(),
    primary key (scope, idempotency_key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- A job's own completion delivery: the URL its intake gave, and whether its requester is mailed
-- (decided at intake: PLANPERFECT_SMTP_URL set and requester_email given). Both null/false for most jobs,
-- so the trigger that owes the delivery (R__job_callbacks.sql) stays off the hot path.
alter table jobs add column callback_url text;
alter table jobs add column mail_requester boolean not null default false;

-- A delivery is a signed POST ('webhook', to url) or an e-mail ('mail', to url = 'mailto:<address>');
-- a job may owe one of each, so the unique key names the kind.
alter table callback_deliveries add column kind text not null default 'webhook' check (kind in ('webhook', 'mail'));
alter table callback_deliveries drop constraint callback_deliveries_subject_subject_id_key;
alter table callback_deliveries add constraint callback_deliveries_subject_kind_key unique (subject, subject_id, kind);
