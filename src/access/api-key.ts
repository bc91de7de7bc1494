// An API key as the service knows it: whose it is, what it may do, how often. Only a hash of its secret is stored.

export const Scopes = ["chat", "match", "policies:read", "admin"] as const;
export type Scope = (typeof Scopes)[number];
export type ApiKey = {
  id: string;
  tenantId: string;
  name: string;
  kind: "server" | "widget";
  scopes: Scope[];
  allowedOrigins: string[];
  ratePerMinute: number;
  dailyQuota: number;
  createdAt: string;
  revokedAt: string | null;
};

/** Who is calling: a tenant's key, or anyone on localhost while no key exists. */
export type Caller = {
  tenantId: string;
  keyId: string | null;
  scopes: Scope[] | "all";
  kind: "server" | "widget" | "open";
  limits?: { perMinute: number; perDay: number };
};
