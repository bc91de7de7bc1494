-- Staff jobs (re-index runs): progress for the admin API, and what a restarted process resumes.
CREATE TABLE IF NOT EXISTS jobs (
  id text PRIMARY KEY,
  -- Creation order, even for jobs created in the same instant.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  params jsonb NOT NULL DEFAULT '{}',
  total int NOT NULL DEFAULT 0,
  done int NOT NULL DEFAULT 0,
  current text,
  counts jsonb NOT NULL DEFAULT '{}',
  failures jsonb NOT NULL DEFAULT '[]',
  error text,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  cancel_requested boolean NOT NULL DEFAULT false
);
-- One re-index at a time per library, enforced by the database for every process that shares it.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_live_per_kind ON jobs (kind) WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS jobs_seq_idx ON jobs (seq DESC);
