-- Issue 14: claim_stage_messages (the queue-level claim within a stage's limit, superseded by
-- claim_stage_attempts) has no caller left. Absent on a database created by V001 .. V007.
drop function if exists claim_stage_messages(text, text, double precision, integer, integer, boolean);
