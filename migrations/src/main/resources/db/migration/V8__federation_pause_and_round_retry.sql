-- Round management through the admin API (issue 13).
--
-- PAUSED: an operator paused the federation; no new round opens while its open round may still finish. Stored like
-- every other state, so a pause survives a restart. The check constraint is recreated with the new state (the table
-- is small; the ALTER holds its ACCESS EXCLUSIVE lock briefly).
ALTER TABLE federations DROP CONSTRAINT IF EXISTS federations_state_check;
ALTER TABLE federations ADD CONSTRAINT federations_state_check
    CHECK (state IN ('CREATED', 'RUNNING', 'PAUSED', 'STOPPED', 'FINISHED', 'FAILED'));

-- When an operator retried this failed round (POST /api/v1/admin/rounds/{id}/retry): a retried failure no longer
-- counts against schedule.maxAttempts, so a federation that had run out of attempts gets one more.
ALTER TABLE rounds ADD COLUMN IF NOT EXISTS retried_at timestamptz;
ALTER TABLE rounds ADD CONSTRAINT rounds_retried_only_failed CHECK (retried_at IS NULL OR state = 'FAILED');

-- The audit log is read newest first, filtered by actor, action or target (GET /api/v1/admin/audit-log).
CREATE INDEX IF NOT EXISTS audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX IF NOT EXISTS audit_log_action_at ON audit_log (action, at);
CREATE INDEX IF NOT EXISTS audit_log_target_at ON audit_log (target, at);
