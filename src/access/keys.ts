import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "../db/db.js";

export const Scopes = ["chat", "match", "policies:read", "admin"] as const;
export type Scope = (typeof Scopes)[number];
/** The tenant of the embedded demo, which runs without keys on localhost. */
export const OPEN_TENANT = "public";
/** What a key in a web page may do: it is public by nature. */
export const WIDGET_SCOPES: Scope[] = ["chat", "match"];

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

export const NewKeySchema = z
  .object({
    tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "tenant: lowercase letters, digits, - and _ (up to 63)"),
    name: z.string().max(200).default(""),
    scopes: z.array(z.enum(Scopes)).min(1, "scopes: at least one of chat, match, policies:read, admin"),
    kind: z.enum(["server", "widget"]).default("server"),
    allowedOrigins: z.array(z.string().url().transform((u) => new URL(u).origin)).default([]),
    ratePerMinute: z.number().int().min(1).max(1_000_000),
    dailyQuota: z.number().int().min(1).max(100_000_000),
  })
  .superRefine((k, ctx) => {
    if (k.kind === "widget") {
      if (k.allowedOrigins.length === 0) ctx.addIssue({ code: "custom", path: ["allowedOrigins"], message: "a widget key needs the origins of the sites that embed it" });
      const extra = k.scopes.filter((s) => !WIDGET_SCOPES.includes(s));
      if (extra.length) ctx.addIssue({ code: "custom", path: ["scopes"], message: `a widget key is public: only chat and match, not ${extra.join(", ")}` });
    }
  });
export type NewKey = z.input<typeof NewKeySchema>;

/** A key as presented: pm_<id>_<secret>. Only the id and a hash of the secret are stored. */
const KEY_FORMAT = /^pm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export async function createApiKey(db: Queryable, input: NewKey): Promise<{ key: ApiKey; secret: string }> {
  const k = NewKeySchema.parse(input);
  const id = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
  const secret = randomBytes(32).toString("base64url");
  await db.query("INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING", [k.tenant]);
  const { rows } = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, tenant_id, name, secret_hash, kind, scopes, allowed_origins, rate_per_minute, daily_quota)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [id, k.tenant, k.name, hashSecret(secret), k.kind, k.scopes, k.allowedOrigins, k.ratePerMinute, k.dailyQuota],
  );
  return { key: toKey(rows[0]), secret: `pm_${id}_${secret}` };
}

export async function listApiKeys(db: Queryable, tenant?: string): Promise<ApiKey[]> {
  const { rows } = await db.query<KeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY tenant_id, created_at`,
    [tenant ?? null],
  );
  return rows.map(toKey);
}

export async function revokeApiKey(db: Queryable, id: string, now: Date): Promise<boolean> {
  const { rows } = await db.query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id", [id, now.toISOString()]);
  return rows.length > 0;
}

/** The live key a presented string stands for; undefined for a malformed, unknown, wrong or revoked one. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKey | undefined> {
  const m = KEY_FORMAT.exec(presented.trim());
  if (!m) return undefined;
  const { rows } = await db.query<KeyRow & { secret_hash: string }>(`SELECT ${COLUMNS}, secret_hash FROM api_keys WHERE id = $1`, [m[1]]);
  const row = rows[0];
  if (!row) return undefined;
  const expected = Buffer.from(row.secret_hash, "hex");
  const actual = Buffer.from(hashSecret(m[2]), "hex");
  if (!timingSafeEqual(expected, actual) || row.revoked_at) return undefined;
  return toKey(row);
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
  id: string; tenant_id: string; name: string; kind: "server" | "widget"; scopes: string[]; allowed_origins: string[];
  rate_per_minute: number; daily_quota: number; created_at: Date | string; revoked_at: Date | string | null;
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
