-- Triggers of content_stage_config: its timestamp, the wake-up of a stage whose limit or switch
-- changed, and its slot rows. Repeatable: every object here in its current form; Flyway runs this
-- file again whenever it changes. The tables are in V003__stage_config_and_slots.sql.

create or replace function content_stage_config_touch() returns trigger language plpgsql as $$
begin
    new.last_updated_at := now();
    return new;
end $$;

drop trigger if exists content_stage_config_touch on content_stage_config;
create trigger content_stage_config_touch before update on content_stage_config
    for each row execute function content_stage_config_touch();

-- A changed limit or a resumed stage may allow more claims: wake the stage's consumers.
create or replace function content_stage_config_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('planperfect_work', new.queue || ':' || new.stage);
    return null;
end $$;

drop trigger if exists content_stage_config_changed on content_stage_config;
create trigger content_stage_config_changed after insert or update on content_stage_config
    for each row execute function content_stage_config_changed();

-- A stage's slot rows (R__stage_claims.sql) are written with its config row, on insert and on every
-- change of max_concurrency; a lowered limit leaves the higher rows in place, unused.
create or replace function content_stage_config_slots() returns trigger
language plpgsql as $$
begin
    insert into stage_slots (queue_name, stage, slot)
    select new.queue, new.stage, g from generate_series(0, new.max_concurrency - 1) g
    on conflict do nothing;
    return null;
end $$;

drop trigger if exists content_stage_config_slots on content_stage_config;
create trigger content_stage_config_slots after insert or update of max_concurrency on content_stage_config
    for each row execute function content_stage_config_slots();
