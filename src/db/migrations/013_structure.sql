-- A policy's structure beside its criteria: its application window and its support rules as data (PolicyStructure),
-- read by the rules that criteria_rules fingerprints. Policies stored before it have none until their next ingest re-reads them.
ALTER TABLE policies ADD COLUMN IF NOT EXISTS structure jsonb;
