-- Webhook deliveries run as jobs of the one job runner (kind 'webhook'): a job is due at run_after
-- (a retry's backoff), claimed with a heartbeat like every job, and taken over when its process dies.
-- The deliveries row stays the delivery's log; its job is what runs it.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS run_after timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS jobs_due_idx ON jobs (kind, run_after) WHERE status = 'queued';
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS job_id text REFERENCES jobs (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_job_idx ON deliveries (job_id);

-- Deliveries still pending become queued jobs, due when they were (a leased one when its lease lapses),
-- having made the attempts they made.
INSERT INTO jobs (id, kind, status, params, created_at, run_after, attempts)
  SELECT 'job_' || substr(md5(notification_id::text || '.' || subscription_id), 1, 16), 'webhook', 'queued',
         jsonb_build_object('notificationId', notification_id::text, 'subscriptionId', subscription_id), now(), next_attempt_at, attempts
  FROM deliveries WHERE status = 'pending' AND job_id IS NULL;
UPDATE deliveries SET job_id = 'job_' || substr(md5(notification_id::text || '.' || subscription_id), 1, 16)
  WHERE status = 'pending' AND job_id IS NULL;

-- The job's run_after is the next try now.
DROP INDEX IF EXISTS deliveries_due_idx;
ALTER TABLE deliveries DROP COLUMN IF EXISTS next_attempt_at;
