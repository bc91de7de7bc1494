import type { ProfileVersion, SavedCompany } from "../companies/saved-company.js";
import type { CompanyProfile } from "../policies/profile.js";
import type { Db, Queryable } from "./db.js";

type Row = {
  external_id: string;
  profile: CompanyProfile;
  chat_updates: boolean;
  version: number;
  feed_token: string;
  created_at: Date | string;
  updated_at: Date | string;
};
const iso = (d: Date | string) => new Date(d).toISOString();
const toCompany = (r: Row): SavedCompany => ({
  externalId: r.external_id,
  profile: r.profile,
  chatUpdates: r.chat_updates,
  version: r.version,
  feedToken: r.feed_token,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});
const COLUMNS = "external_id, profile, chat_updates, version, feed_token, created_at, updated_at";

/** The company's row, locked until the transaction ends: a concurrent save waits for this one. */
export async function lockCompany(tx: Queryable, tenantId: string, externalId: string): Promise<SavedCompany | undefined> {
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM companies WHERE tenant_id = $1 AND external_id = $2 FOR UPDATE`, [tenantId, externalId]);
  return rows[0] && toCompany(rows[0]);
}

export async function insertCompany(
  tx: Queryable,
  c: { tenantId: string; externalId: string; profile: CompanyProfile; chatUpdates: boolean; feedToken: string; now: Date },
): Promise<SavedCompany> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO companies (tenant_id, external_id, profile, chat_updates, feed_token, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
    [c.tenantId, c.externalId, JSON.stringify(c.profile), c.chatUpdates, c.feedToken, c.now.toISOString()],
  );
  return toCompany(rows[0]);
}

/** Whether two profiles are the same as jsonb: the database's key order is not the caller's. */
export async function sameProfile(db: Queryable, a: CompanyProfile, b: CompanyProfile): Promise<boolean> {
  const { rows } = await db.query<{ same: boolean }>("SELECT $1::jsonb = $2::jsonb AS same", [JSON.stringify(a), JSON.stringify(b)]);
  return rows[0].same;
}

/** Rewrites the company's profile and consent; `updated_at` moves only when the profile changed. */
export async function updateCompany(
  tx: Queryable,
  c: { tenantId: string; externalId: string; profile: CompanyProfile; chatUpdates: boolean; version: number; changed: boolean; now: Date },
): Promise<SavedCompany> {
  const { rows } = await tx.query<Row>(
    `UPDATE companies SET profile = $3, chat_updates = $4, version = $5, updated_at = CASE WHEN $6 THEN $7::timestamptz ELSE updated_at END
     WHERE tenant_id = $1 AND external_id = $2 RETURNING ${COLUMNS}`,
    [c.tenantId, c.externalId, JSON.stringify(c.profile), c.chatUpdates, c.version, c.changed, c.now.toISOString()],
  );
  return toCompany(rows[0]);
}

export async function addProfileVersion(
  tx: Queryable,
  tenantId: string,
  externalId: string,
  v: { version: number; profile: CompanyProfile; source: ProfileVersion["source"]; now: Date },
) {
  await tx.query("INSERT INTO company_profile_history (tenant_id, external_id, version, profile, source, changed_at) VALUES ($1, $2, $3, $4, $5, $6)", [
    tenantId,
    externalId,
    v.version,
    JSON.stringify(v.profile),
    v.source,
    v.now.toISOString(),
  ]);
}

export async function getCompany(db: Queryable, tenantId: string, externalId: string): Promise<SavedCompany | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM companies WHERE tenant_id = $1 AND external_id = $2`, [tenantId, externalId]);
  return rows[0] && toCompany(rows[0]);
}

export async function getCompanyByFeedToken(db: Queryable, token: string): Promise<(SavedCompany & { tenantId: string }) | undefined> {
  const { rows } = await db.query<Row & { tenant_id: string }>(`SELECT tenant_id, ${COLUMNS} FROM companies WHERE feed_token = $1`, [token]);
  return rows[0] && { ...toCompany(rows[0]), tenantId: rows[0].tenant_id };
}

export async function profileHistory(db: Queryable, tenantId: string, externalId: string): Promise<ProfileVersion[]> {
  const { rows } = await db.query<{ version: number; profile: CompanyProfile; source: "api" | "chat"; changed_at: Date | string }>(
    "SELECT version, profile, source, changed_at FROM company_profile_history WHERE tenant_id = $1 AND external_id = $2 ORDER BY version DESC",
    [tenantId, externalId],
  );
  return rows.map((r) => ({ version: r.version, profile: r.profile, source: r.source, changedAt: iso(r.changed_at) }));
}

/** Deletes the company, its history, its notifications and its own subscriptions: a company that leaves takes its data with it. */
export async function deleteCompany(db: Db, tenantId: string, externalId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query("DELETE FROM company_profile_history WHERE tenant_id = $1 AND external_id = $2", [tenantId, externalId]);
    // Its webhooks not yet sent are called off with the notifications they would carry.
    await tx.query(
      `UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE status IN ('queued', 'running') AND id IN (
         SELECT d.job_id FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.tenant_id = $1 AND n.external_id = $2)`,
      [tenantId, externalId],
    );
    await tx.query("DELETE FROM notifications WHERE tenant_id = $1 AND external_id = $2", [tenantId, externalId]);
    await tx.query("DELETE FROM subscriptions WHERE tenant_id = $1 AND external_id = $2", [tenantId, externalId]);
    const { rows } = await tx.query("DELETE FROM companies WHERE tenant_id = $1 AND external_id = $2 RETURNING 1", [tenantId, externalId]);
    return rows.length > 0;
  });
}

/** A tenant's saved companies, in pages (for candidates and batch work). */
export async function listCompanies(db: Queryable, tenantId: string, limit = 1000, afterId = ""): Promise<SavedCompany[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM companies WHERE tenant_id = $1 AND external_id > $2 ORDER BY external_id LIMIT $3`, [
    tenantId,
    afterId,
    limit,
  ]);
  return rows.map(toCompany);
}
