-- Vectors keyed by embedding model, so a new model can be filled in the background while the
-- active one keeps serving, and the library switches in one step when the new one is complete.
CREATE TABLE IF NOT EXISTS embedding_models (
  model text PRIMARY KEY,
  dims int,
  status text NOT NULL CHECK (status IN ('active', 'building', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz
);
-- Exactly one model answers queries.
CREATE UNIQUE INDEX IF NOT EXISTS embedding_models_one_active ON embedding_models ((true)) WHERE status = 'active';

CREATE TABLE IF NOT EXISTS chunk_vectors (
  chunk_id text NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,
  model text NOT NULL,
  embedding vector NOT NULL,
  PRIMARY KEY (chunk_id, model)
);

INSERT INTO chunk_vectors (chunk_id, model, embedding)
SELECT id, embedding_model, embedding FROM chunks WHERE embedding IS NOT NULL AND embedding_model IS NOT NULL;

INSERT INTO embedding_models (model, dims, status, activated_at)
SELECT embedding_model, max(vector_dims(embedding)), 'active', now() FROM chunks
WHERE embedding IS NOT NULL AND embedding_model IS NOT NULL
GROUP BY embedding_model ORDER BY count(*) DESC LIMIT 1;

-- The per-model HNSW indexes on chunks go with the column; they are rebuilt on chunk_vectors.
ALTER TABLE chunks DROP COLUMN IF EXISTS embedding;
ALTER TABLE chunks DROP COLUMN IF EXISTS embedding_model;
