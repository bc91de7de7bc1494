-- The fingerprint of the rules that derived a policy's criteria (CRITERIA_RULES); ingest re-derives criteria stored under
-- another. Policies stored before it have none, so their criteria are re-derived once.
ALTER TABLE policies ADD COLUMN IF NOT EXISTS criteria_rules text;
