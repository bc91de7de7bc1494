-- The library's generation: one row, bumped by every transaction that changes what search or matching reads
-- (policies, their chunks and term statistics, the active embedding model). Its row lock orders those writers, so
-- they commit in generation order and any snapshot sees a prefix of the generations. Each bump logs what it changed,
-- so a process holding the library in memory applies the changes since its generation instead of reloading all of it.
CREATE TABLE IF NOT EXISTS library_generation (
  one        boolean PRIMARY KEY DEFAULT true CHECK (one),
  generation bigint NOT NULL
);
INSERT INTO library_generation (one, generation) VALUES (true, 0) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS library_changes (
  generation bigint PRIMARY KEY,
  -- policies whose row changed (status, title, region, criteria) or was deleted
  policy_ids text[] NOT NULL DEFAULT '{}',
  -- chunks removed, added or rewritten
  chunk_ids  text[] NOT NULL DEFAULT '{}',
  reason     text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
