-- Model calls and what they cost (issue 15). Functions over these tables: R__llm_usage.sql.

-- One row per model call a stage made, written in the transaction that ends the stage's attempt
-- (completed, waiting or failed alike), so the ledger holds exactly the attempts the jobs record.
create table llm_calls (
    id             bigserial primary key,
    job_id         uuid        not null,
    pipeline       text        not null,
    stage          text        not null,
    attempt        integer     not null,
    provider       text        not null,
    model          text        not null,
    prompt_version text,
    input_tokens   bigint      not null default 0 check (input_tokens >= 0),
    output_tokens  bigint      not null default 0 check (output_tokens >= 0),
    -- null when llm_prices has no row for the provider and model: tokens are counted all the same
    cost_usd       numeric(14, 6),
    latency_ms     bigint      not null default 0,
    -- ok | rate_limited | unavailable | timeout | rejected | invalid_output
    outcome        text        not null,
    error          text,
    created_at     timestamptz not null default now()
);
create index llm_calls_job_idx on llm_calls (job_id);
create index llm_calls_created_idx on llm_calls using brin (created_at);
create index llm_calls_provider_created_idx on llm_calls (provider, created_at);

-- USD per million tokens; edited by SQL (model = '*' prices every model of a provider not listed).
create table llm_prices (
    provider              text    not null,
    model                 text    not null,
    input_per_million     numeric(12, 6) not null check (input_per_million >= 0),
    output_per_million    numeric(12, 6) not null check (output_per_million >= 0),
    updated_at            timestamptz not null default now(),
    primary key (provider, model)
);
insert into llm_prices (provider, model, input_per_million, output_per_million) values
    ('openai',    'gpt-4o',                     2.50,  10.00),
    ('openai',    'gpt-4o-mini',                0.15,   0.60),
    ('openai',    'gpt-4.1',                    2.00,   8.00),
    ('openai',    'gpt-4.1-mini',               0.40,   1.60),
    ('openai',    'gpt-4.1-nano',               0.10,   0.40),
    ('anthropic', 'claude-3-5-haiku-latest',    0.80,   4.00),
    ('anthropic', 'claude-3-5-sonnet-latest',   3.00,  15.00),
    ('anthropic', 'claude-sonnet-4-20250514',   3.00,  15.00),
    ('anthropic', 'claude-opus-4-20250514',    15.00,  75.00),
    ('groq',      'llama-3.1-8b-instant',       0.05,   0.08),
    ('groq',      'llama-3.3-70b-versatile',    0.59,   0.79),
    ('ollama',    '*',                          0.00,   0.00);

-- Per-provider limits that hold across every node (null: no limit of that kind).
create table llm_limits (
    provider            text primary key,
    requests_per_minute integer check (requests_per_minute > 0),
    tokens_per_minute   bigint  check (tokens_per_minute > 0),
    daily_budget_usd    numeric(12, 2) check (daily_budget_usd >= 0),
    updated_at          timestamptz not null default now()
);

-- Calls admitted in the last minute of a provider with limits (admit_llm_call); older rows are
-- deleted as admissions go on.
create table llm_admissions (
    id          bigserial primary key,
    provider    text        not null,
    tokens      bigint      not null,
    admitted_at timestamptz not null default now()
);
create index llm_admissions_provider_idx on llm_admissions (provider, admitted_at);

-- A provider or model per stage (null: the node's PLANPERFECT_LLM_PROVIDER / PLANPERFECT_LLM_MODEL).
alter table content_stage_config add column llm_provider text
    check (llm_provider in ('offline', 'openai', 'anthropic', 'ollama', 'groq'));
alter table content_stage_config add column llm_model text;
-- What a failed QA check does at this stage (null: redraft with a model, continue offline); a job's
-- payload qa_policy overrides it.
alter table content_stage_config add column qa_policy text check (qa_policy in ('continue', 'redraft', 'fail'));
