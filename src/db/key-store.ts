import type { ApiKey, Scope } from "../access/api-key.js";
import type { Queryable } from "./db.js";

/** Stores a key (and its tenant, the first time); only the hash of its secret. */
export async function insertApiKey(
  db: Queryable,
  k: {
    id: string;
    tenantId: string;
    name: string;
    secretHash: string;
    kind: ApiKey["kind"];
    scopes: Scope[];
    allowedOrigins: string[];
    ratePerMinute: number;
    dailyQuota: number;
  },
): Promise<ApiKey> {
  await db.query("INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING", [k.tenantId]);
  const { rows } = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, tenant_id, name, secret_hash, kind, scopes, allowed_origins, rate_per_minute, daily_quota)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [k.id, k.tenantId, k.name, k.secretHash, k.kind, k.scopes, k.allowedOrigins, k.ratePerMinute, k.dailyQuota],
  );
  return toKey(rows[0]);
}

export async function listApiKeys(db: Queryable, tenant?: string): Promise<ApiKey[]> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY tenant_id, created_at`, [
    tenant ?? null,
  ]);
  return rows.map(toKey);
}

export async function revokeApiKey(db: Queryable, id: string, now: Date): Promise<boolean> {
  const { rows } = await db.query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", [id, now.toISOString()]);
  return rows.length > 0;
}

/** The key with this id, revoked or not, and the stored hash of its secret. */
export async function keyWithSecretHash(db: Queryable, id: string): Promise<{ key: ApiKey; secretHash: string } | undefined> {
  const { rows } = await db.query<KeyRow & { secret_hash: string }>(`SELECT ${COLUMNS}, secret_hash FROM api_keys WHERE id = $1`, [id]);
  return rows[0] && { key: toKey(rows[0]), secretHash: rows[0].secret_hash };
}

export async function hasActiveKeys(db: Queryable): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1");
  return rows.length > 0;
}

/** Every origin some live widget key admits: what a CORS preflight, which carries no key, may be answered for. */
export async function widgetOrigins(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ o: string }>("SELECT DISTINCT unnest(allowed_origins) AS o FROM api_keys WHERE revoked_at IS NULL AND kind = 'widget'");
  return new Set(rows.map((r) => r.o));
}

const COLUMNS = "id, tenant_id, name, kind, scopes, allowed_origins, rate_per_minute, daily_quota, created_at, revoked_at";
type KeyRow = {
  id: string;
  tenant_id: string;
  name: string;
  kind: "server" | "widget";
  scopes: string[];
  allowed_origins: string[];
  rate_per_minute: number;
  daily_quota: number;
  created_at: Date | string;
  revoked_at: Date | string | null;
};
const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  kind: r.kind,
  scopes: r.scopes as Scope[],
  allowedOrigins: r.allowed_origins,
  ratePerMinute: r.rate_per_minute,
  dailyQuota: r.daily_quota,
  createdAt: new Date(r.created_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});
