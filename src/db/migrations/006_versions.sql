-- Earlier versions of re-indexed policies, kept for audit and diffs.
CREATE TABLE IF NOT EXISTS policy_versions (
  policy_id text NOT NULL,
  version int NOT NULL,
  content_hash text,
  title text NOT NULL,
  record jsonb NOT NULL,
  chunks jsonb NOT NULL,
  replaced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, version)
);
