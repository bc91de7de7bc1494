-- Conversations: a session per company conversation, mapped from the caller's user id (e.g. a WeChat openid).
CREATE TABLE IF NOT EXISTS sessions (
  id text PRIMARY KEY,
  user_id text,
  profile jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id, updated_at DESC);
CREATE INDEX IF NOT EXISTS sessions_expiry_idx ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS session_turns (
  session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq int NOT NULL,
  question text NOT NULL,
  answer text NOT NULL,
  policy_ids text[] NOT NULL DEFAULT '{}',
  mode text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, seq)
);
