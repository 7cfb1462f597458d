-- Wake-ups move out of the work transactions (see WorkAnnouncer): a NOTIFY inside a
-- transaction holds the database-wide notify lock through its commit and serialises commits.
drop trigger queue_messages_notify_insert on queue_messages;
drop trigger queue_messages_notify_release on queue_messages;
drop function queue_messages_notify();
drop trigger stage_slots_freed on stage_slots;
drop function stage_slots_freed();
