-- Saved company profiles (政策找企业), per tenant, with every earlier version kept.
CREATE TABLE IF NOT EXISTS companies (
  tenant_id text NOT NULL,
  external_id text NOT NULL,
  profile jsonb NOT NULL,
  -- The company agreed that facts it states in chat update its saved profile.
  chat_updates boolean NOT NULL DEFAULT false,
  -- Secret part of the calendar feed's URL: calendar apps cannot send an API key.
  feed_token text NOT NULL UNIQUE,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, external_id)
);
CREATE TABLE IF NOT EXISTS company_profile_history (
  tenant_id text NOT NULL,
  external_id text NOT NULL,
  version int NOT NULL,
  profile jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('api', 'chat')),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, external_id, version)
);
