-- Third-party access: tenants, their API keys (only a hash of the secret is kept), and shared rate-limit counters.
CREATE TABLE IF NOT EXISTS tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS api_keys (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  name text NOT NULL DEFAULT '',
  secret_hash text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('server', 'widget')),
  scopes text[] NOT NULL,
  allowed_origins text[] NOT NULL DEFAULT '{}',
  rate_per_minute int NOT NULL,
  daily_quota int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant_id);
-- Fixed-window counters, one row per key, window kind and window start; several server processes share them.
CREATE TABLE IF NOT EXISTS rate_counters (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  hits int NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS rate_counters_expiry_idx ON rate_counters (expires_at);
-- Conversations belong to a tenant: another tenant's key cannot see them.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS tenant_id text NOT NULL DEFAULT 'public';
CREATE INDEX IF NOT EXISTS sessions_tenant_user_idx ON sessions (tenant_id, user_id, updated_at DESC);
