-- Structured 申报条件 per policy (src/policies/criteria.ts), extracted at ingest.
ALTER TABLE policies ADD COLUMN IF NOT EXISTS criteria jsonb NOT NULL DEFAULT '{"common": [], "programmes": []}';
