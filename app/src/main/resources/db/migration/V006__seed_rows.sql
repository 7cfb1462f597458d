-- The rows a new database starts with: the seed pipelines' queues, their stages, the stages'
-- slot rows, and seed 003's scheduler jobs. Plain inserts: the functions and triggers that write
-- such rows later (initialize_scheduler(), content_stage_config_slots) are created after every
-- versioned file, by the R__*.sql files.

insert into queues (queue_name) values ('content'), ('schema');

insert into content_stage_config (stage, queue) values
    ('research', 'content'), ('outline', 'content'), ('draft', 'content'),
    ('qa', 'content'), ('export', 'content'), ('complete', 'content'),
    ('research', 'schema'), ('generate', 'schema'), ('validate', 'schema'), ('complete', 'schema');

-- what the content_stage_config_slots trigger writes for each row above
insert into stage_slots (queue_name, stage, slot)
select c.queue, c.stage, g from content_stage_config c, generate_series(0, c.max_concurrency - 1) g
on conflict do nothing;

-- The same rows as initialize_scheduler() restores (SchemaLayoutTest checks that they agree).
insert into scheduler_jobs (name, schedule, action, command, description, timeout_seconds) values
    ('planperfect-content-queue-dispatcher', '*/1 * * * *', 'trigger_dispatcher', 'SELECT trigger_dispatcher();',
     'Dispatch cycle (beside the continuous loop)', 60),
    ('content_pipeline_main', '*/5 * * * *', 'trigger_content_automation', 'SELECT trigger_content_automation();',
     'Main content automation: promote scheduled jobs, repair jobs whose message went missing', 300),
    ('content_pipeline_sweeper', '*/15 * * * *', 'trigger_sweeper', 'SELECT trigger_sweeper();',
     'Clean up stale jobs', 300),
    ('content_pipeline_monitor', '0 * * * *', 'trigger_monitoring', 'SELECT trigger_monitoring();',
     'System monitoring and alerts', 300),
    ('content_pipeline_metrics', '*/30 * * * *', 'trigger_metrics_collection', 'SELECT trigger_metrics_collection();',
     'Metrics collection', 300),
    ('content_pipeline_health', '*/10 * * * *', 'trigger_health_checks', 'SELECT trigger_health_checks();',
     'Health checks', 120),
    ('content_pipeline_cleanup', '0 2 * * *', 'trigger_cleanup', 'SELECT trigger_cleanup();',
     'Data cleanup', 1800);
