-- Policies, their chunks and the ingest log. The same file runs on PGlite and PostgreSQL.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS policies (
  id             text PRIMARY KEY,
  title          text NOT NULL,
  doc_number     text,
  issuer         text,
  region         text,
  -- administrative path, e.g. {北京市,海淀区}; empty for national policies
  region_path    text[] NOT NULL DEFAULT '{}',
  level          text NOT NULL DEFAULT 'unknown',
  published_at   date,
  apply_start    date,
  apply_end      date,
  valid_until    date,
  source         text,
  source_file    text,
  format         text NOT NULL,
  content_hash   text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'expired', 'withdrawn')),
  tags           text[] NOT NULL DEFAULT '{}',
  meta           jsonb NOT NULL DEFAULT '{}',
  text_chars     integer NOT NULL DEFAULT 0,
  chunk_count    integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS policies_status_idx ON policies (status);
CREATE INDEX IF NOT EXISTS policies_region_path_idx ON policies USING gin (region_path);

CREATE TABLE IF NOT EXISTS chunks (
  id              text PRIMARY KEY,
  policy_id       text NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
  position        integer NOT NULL,
  heading         text,
  text            text NOT NULL,
  -- jieba words and Han bigrams, space-separated: what the full-text index sees
  words           text NOT NULL,
  tsv             tsvector NOT NULL,
  -- BM25 document weights over hashed terms: score = lexical · idf-weighted query
  lexical         sparsevec NOT NULL,
  embedding       vector,
  embedding_model text,
  UNIQUE (policy_id, position)
);
CREATE INDEX IF NOT EXISTS chunks_tsv_idx ON chunks USING gin (tsv);
CREATE INDEX IF NOT EXISTS chunks_embedding_model_idx ON chunks (embedding_model);

-- Document frequency of every indexed term; the row with term '' counts the chunks.
CREATE TABLE IF NOT EXISTS term_stats (
  term text PRIMARY KEY,
  df   integer NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_runs (
  id          bigserial PRIMARY KEY,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  source      text NOT NULL,
  added       integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  unchanged   integer NOT NULL DEFAULT 0,
  removed     integer NOT NULL DEFAULT 0,
  failed      integer NOT NULL DEFAULT 0,
  failures    jsonb NOT NULL DEFAULT '[]'
);
