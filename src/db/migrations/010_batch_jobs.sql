-- Batch matching runs as a job: many may run at once (one per request), unlike re-index and
-- embedding switches, which stay one at a time per library.
DROP INDEX IF EXISTS jobs_one_live_per_kind;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_live_per_library_kind ON jobs (kind) WHERE status IN ('queued', 'running') AND kind IN ('reindex', 'embed');

-- The companies of a batch and, once judged, each one's matches: a resumed job judges only what is left.
CREATE TABLE IF NOT EXISTS batch_items (
  job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  position int NOT NULL,
  company_id text NOT NULL,
  profile jsonb NOT NULL,
  result jsonb,
  PRIMARY KEY (job_id, position)
);
