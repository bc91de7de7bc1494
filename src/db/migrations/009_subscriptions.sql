-- Subscriptions: a tenant (all its saved companies) or one company hears of new matching policies,
-- by signed webhook or by polling. One notification per company, policy and policy version.
CREATE TABLE IF NOT EXISTS subscriptions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  -- NULL: every saved company of the tenant.
  external_id text,
  -- NULL: polling only (GET /v1/companies/:id/notifications).
  url text,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS subscriptions_tenant_idx ON subscriptions (tenant_id);

CREATE TABLE IF NOT EXISTS notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id text NOT NULL,
  external_id text NOT NULL,
  policy_id text NOT NULL,
  -- The policy version: its content hash. A re-index of the same text is not news.
  policy_hash text NOT NULL,
  verdict text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, external_id, policy_id, policy_hash)
);

CREATE TABLE IF NOT EXISTS deliveries (
  notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status int,
  last_error text,
  delivered_at timestamptz,
  PRIMARY KEY (notification_id, subscription_id)
);
CREATE INDEX IF NOT EXISTS deliveries_due_idx ON deliveries (next_attempt_at) WHERE status = 'pending';
