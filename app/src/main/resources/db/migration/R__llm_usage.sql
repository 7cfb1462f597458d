-- Model usage: the cost of a call from llm_prices, and the admission of a call against the
-- per-job cost cap, the provider's daily budget and its per-minute limits (all nodes share them).
-- Repeatable: Flyway runs this file again whenever it changes. Tables: V012__llm_usage.sql.

-- USD for the tokens at the provider's price of the model (or its '*' row); null when unpriced.
create or replace function llm_call_cost(p_provider text, p_model text, p_input bigint, p_output bigint)
returns numeric language sql stable as $$
    select round((p.input_per_million * p_input + p.output_per_million * p_output) / 1000000.0, 6)
      from llm_prices p
     where p.provider = p_provider and p.model in (p_model, '*')
     order by (p.model = '*')
     limit 1
$$;

-- Whether a stage may call the provider now: ('admit', null, null), ('wait', seconds, reason) or
-- ('refuse', null, reason). Refused: the job's payload max_cost_usd is spent. Waiting: the
-- provider's daily_budget_usd is spent (until the next UTC day; a monitoring alert is raised once a
-- day) or a call now would pass its requests or tokens per minute (until the oldest admission in
-- the window is a minute old). An admitted call of a limited provider is counted at once, under a
-- per-provider advisory lock, so concurrent nodes never admit more than the limit between them.
create or replace function admit_llm_call(p_provider text, p_job uuid, p_tokens bigint)
returns table (decision text, wait_seconds double precision, reason text)
language plpgsql as $$
declare
    v_cap      numeric;
    v_spent    numeric;
    v_limit    llm_limits%rowtype;
    v_day      timestamptz := date_trunc('day', now() at time zone 'utc') at time zone 'utc';
    v_count    integer;
    v_tokens   bigint;
    v_oldest   timestamptz;
begin
    select nullif(j.payload->>'max_cost_usd', '')::numeric into v_cap from jobs j where j.id = p_job;
    if v_cap is not null then
        select coalesce(sum(c.cost_usd), 0) into v_spent from llm_calls c where c.job_id = p_job;
        if v_spent >= v_cap then
            return query select 'refuse', null::double precision,
                format('the job''s cost cap max_cost_usd=%s is spent (%s USD so far)', v_cap, v_spent);
            return;
        end if;
    end if;

    select * into v_limit from llm_limits l where l.provider = p_provider;
    if not found then
        return query select 'admit', null::double precision, null::text;
        return;
    end if;

    if v_limit.daily_budget_usd is not null then
        select coalesce(sum(c.cost_usd), 0) into v_spent from llm_calls c
         where c.provider = p_provider and c.created_at >= v_day;
        if v_spent >= v_limit.daily_budget_usd then
            insert into monitoring_alerts (alert_type, alert_key, severity, message, metadata)
            select 'llm_daily_budget', p_provider, 'critical',
                   format('daily budget of %s USD for %s is spent (%s USD today); calls wait until %s UTC',
                          v_limit.daily_budget_usd, p_provider, v_spent, v_day + interval '1 day'),
                   jsonb_build_object('provider', p_provider, 'spent_usd', v_spent, 'budget_usd', v_limit.daily_budget_usd)
             where not exists (select 1 from monitoring_alerts a where a.alert_type = 'llm_daily_budget'
                                  and a.alert_key = p_provider and a.status = 'active')
            on conflict do nothing;
            return query select 'wait', extract(epoch from (v_day + interval '1 day') - now())::double precision,
                format('daily budget of %s USD for %s is spent', v_limit.daily_budget_usd, p_provider);
            return;
        end if;
    end if;

    if v_limit.requests_per_minute is null and v_limit.tokens_per_minute is null then
        return query select 'admit', null::double precision, null::text;
        return;
    end if;
    perform pg_advisory_xact_lock(hashtext('planperfect.llm_admissions'), hashtext(p_provider));
    delete from llm_admissions a where a.provider = p_provider and a.admitted_at <= clock_timestamp() - interval '1 minute';
    select count(*), coalesce(sum(a.tokens), 0), min(a.admitted_at) into v_count, v_tokens, v_oldest
      from llm_admissions a where a.provider = p_provider;
    if (v_limit.requests_per_minute is not null and v_count + 1 > v_limit.requests_per_minute)
       or (v_limit.tokens_per_minute is not null and v_count > 0 and v_tokens + p_tokens > v_limit.tokens_per_minute) then
        return query select 'wait',
            greatest(0.0, extract(epoch from v_oldest + interval '1 minute' - clock_timestamp()))::double precision,
            format('%s rate limit: %s request(s) and %s token(s) in the last minute (limits %s/min, %s tokens/min)',
                   p_provider, v_count, v_tokens, coalesce(v_limit.requests_per_minute::text, 'none'),
                   coalesce(v_limit.tokens_per_minute::text, 'none'));
        return;
    end if;
    insert into llm_admissions (provider, tokens, admitted_at) values (p_provider, p_tokens, clock_timestamp());
    return query select 'admit', null::double precision, null::text;
end $$;

-- A job's usage: tokens and cost in all and per stage, as GET /api/v1/jobs/{id} shows it.
create or replace function job_llm_usage(p_job uuid)
returns jsonb language sql stable as $$
    with per_stage as (
        select c.stage, count(*) as calls, sum(c.input_tokens) as input_tokens, sum(c.output_tokens) as output_tokens,
               sum(c.cost_usd) as cost_usd, min(c.id) as first_id
          from llm_calls c where c.job_id = p_job group by c.stage)
    select jsonb_build_object(
        'calls', coalesce(sum(s.calls), 0),
        'input_tokens', coalesce(sum(s.input_tokens), 0),
        'output_tokens', coalesce(sum(s.output_tokens), 0),
        'cost_usd', sum(s.cost_usd),
        'stages', coalesce(jsonb_agg(jsonb_build_object('stage', s.stage, 'calls', s.calls,
            'input_tokens', s.input_tokens, 'output_tokens', s.output_tokens, 'cost_usd', s.cost_usd)
            order by s.first_id) filter (where s.stage is not null), '[]'::jsonb))
      from per_stage s
$$;
