import type { Db, Queryable } from "../db/db.js";
import type { CompanyProfile } from "../policies/profile.js";

export type SavedCompany = {
  externalId: string;
  profile: CompanyProfile;
  chatUpdates: boolean;
  version: number;
  feedToken: string;
  createdAt: string;
  updatedAt: string;
};
export type ProfileVersion = { version: number; profile: CompanyProfile; source: "api" | "chat"; changedAt: string };

type Row = { external_id: string; profile: CompanyProfile; chat_updates: boolean; version: number; feed_token: string; created_at: Date | string; updated_at: Date | string };
const iso = (d: Date | string) => new Date(d).toISOString();
const toCompany = (r: Row): SavedCompany => ({
  externalId: r.external_id, profile: r.profile, chatUpdates: r.chat_updates, version: r.version, feedToken: r.feed_token, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
});
const COLUMNS = "external_id, profile, chat_updates, version, feed_token, created_at, updated_at";

const newToken = () => `cal_${crypto.randomUUID().replace(/-/g, "")}${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;

/**
 * Saves a company's profile; the version it replaces stays in the history.
 * An unchanged profile is not a new version. Returns the company and whether it was new.
 */
export async function saveCompany(
  db: Db, tenantId: string, externalId: string,
  input: { profile: CompanyProfile | ((current: CompanyProfile) => CompanyProfile); chatUpdates?: boolean; source?: "api" | "chat" }, now: Date,
): Promise<{ company: SavedCompany; created: boolean }> {
  return db.transaction(async (tx) => {
    const { rows: existing } = await tx.query<Row>(`SELECT ${COLUMNS} FROM companies WHERE tenant_id = $1 AND external_id = $2 FOR UPDATE`, [tenantId, externalId]);
    const before = existing[0];
    // What chat learns is kept only while the company exists and consents, as it stands now.
    if (input.source === "chat" && !before?.chat_updates) return { company: before ? toCompany(before) : undefined, created: false } as never;
    // A function merges into the row as it is now, under its lock: a PUT that landed meanwhile is not lost.
    const profile: CompanyProfile = typeof input.profile === "function" ? input.profile(before?.profile ?? {}) : input.profile;
    if (!before) {
      const { rows } = await tx.query<Row>(
        `INSERT INTO companies (tenant_id, external_id, profile, chat_updates, feed_token, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
        [tenantId, externalId, JSON.stringify(profile), input.chatUpdates ?? false, newToken(), now.toISOString()],
      );
      await addHistory(tx, tenantId, externalId, 1, profile, input.source ?? "api", now);
      return { company: toCompany(rows[0]), created: true };
    }
    // Compared as jsonb: the database's key order is not the caller's.
    const { rows: same } = await tx.query<{ same: boolean }>("SELECT $1::jsonb = $2::jsonb AS same", [JSON.stringify(before.profile), JSON.stringify(profile)]);
    const changed = !same[0].same;
    const version = changed ? before.version + 1 : before.version;
    const { rows } = await tx.query<Row>(
      `UPDATE companies SET profile = $3, chat_updates = $4, version = $5, updated_at = CASE WHEN $6 THEN $7::timestamptz ELSE updated_at END
       WHERE tenant_id = $1 AND external_id = $2 RETURNING ${COLUMNS}`,
      [tenantId, externalId, JSON.stringify(profile), input.chatUpdates ?? before.chat_updates, version, changed, now.toISOString()],
    );
    if (changed) await addHistory(tx, tenantId, externalId, version, profile, input.source ?? "api", now);
    return { company: toCompany(rows[0]), created: false };
  });
}

async function addHistory(tx: Queryable, tenantId: string, externalId: string, version: number, profile: CompanyProfile, source: string, now: Date) {
  await tx.query(
    "INSERT INTO company_profile_history (tenant_id, external_id, version, profile, source, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    [tenantId, externalId, version, JSON.stringify(profile), source, now.toISOString()],
  );
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
    await tx.query("DELETE FROM notifications WHERE tenant_id = $1 AND external_id = $2", [tenantId, externalId]);
    await tx.query("DELETE FROM subscriptions WHERE tenant_id = $1 AND external_id = $2", [tenantId, externalId]);
    const { rows } = await tx.query("DELETE FROM companies WHERE tenant_id = $1 AND external_id = $2 RETURNING 1", [tenantId, externalId]);
    return rows.length > 0;
  });
}

/** A tenant's saved companies, in pages (for candidates and batch work). */
export async function listCompanies(db: Queryable, tenantId: string, limit = 1000, afterId = ""): Promise<SavedCompany[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM companies WHERE tenant_id = $1 AND external_id > $2 ORDER BY external_id LIMIT $3`,
    [tenantId, afterId, limit],
  );
  return rows.map(toCompany);
}

/** All of a tenant's saved companies, read page by page. */
export async function listAllCompanies(db: Queryable, tenantId: string): Promise<SavedCompany[]> {
  const all: SavedCompany[] = [];
  for (let after = ""; ; ) {
    const page = await listCompanies(db, tenantId, 1000, after);
    all.push(...page);
    if (page.length < 1000) return all;
    after = page.at(-1)!.externalId;
  }
}
