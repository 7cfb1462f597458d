-- Signed completion callbacks (issue 17 item 3, built for issue 19 item 8's job callbacks too): one row
-- per delivery, written in the transaction that finishes its subject (R__batches.sql for a batch), and
-- claimed by every node's CallbackDelivery loop with FOR UPDATE SKIP LOCKED. The row is both the work
-- item and its record: attempts, the last answer, the last error, when it was delivered.
create table callback_deliveries (
    id              bigint generated always as identity primary key,
    -- what finished: 'batch' now; 'job' when job callbacks come (issue 19)
    subject         text        not null check (subject in ('batch', 'job')),
    subject_id      uuid        not null,
    url             text        not null,
    -- the JSON posted, fixed when the subject finished, so every attempt sends the same bytes
    body            jsonb       not null,
    status          text        not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        integer     not null default 0,
    -- a pending row is due at next_attempt_at; a claim moves it forward by the claim timeout, so a node
    -- that dies mid-delivery leaves the row due again (at least once)
    next_attempt_at timestamptz not null default now(),
    lease           uuid,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- why unique: a subject finishes once, so it is called back once (a replay that finishes it again adds nothing)
    unique (subject, subject_id)
);
-- why partial: delivered and failed rows are never claimed again
create index callback_deliveries_due_idx on callback_deliveries (next_attempt_at) where status = 'pending';
