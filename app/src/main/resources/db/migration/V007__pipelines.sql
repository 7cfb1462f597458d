-- Issue 14: each pipeline and the seed family whose views show its jobs (R__seed_views.sql).
-- A pipeline without a row here runs as before; its jobs appear in no seed view.
create table pipelines (
    name        text primary key,
    queue       text not null,
    seed_family text not null
);

insert into pipelines (name, queue, seed_family) values
    ('content', 'content', 'content'),
    -- the seed's intake writes schema jobs into content_jobs as well
    ('schema', 'schema', 'content');
