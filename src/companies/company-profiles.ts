/** A tenant's saved companies: saving a profile with its history, and reading them back. */

import { addProfileVersion, insertCompany, listCompanies, lockCompany, sameProfile, updateCompany } from "../db/company-store.js";
import type { Db, Queryable } from "../db/db.js";
import type { CompanyProfile } from "../policies/profile.js";
import type { SavedCompany } from "./saved-company.js";

export { deleteCompany, getCompany, getCompanyByFeedToken, listCompanies, profileHistory } from "../db/company-store.js";
export type { ProfileVersion, SavedCompany } from "./saved-company.js";

const newToken = () => `cal_${crypto.randomUUID().replace(/-/g, "")}${crypto.randomUUID().replace(/-/g, "").slice(0, 8)}`;

/**
 * Saves a company's profile; the version it replaces stays in the history.
 * An unchanged profile is not a new version. Returns the company and whether it was new.
 */
export async function saveCompany(
  db: Db,
  tenantId: string,
  externalId: string,
  input: { profile: CompanyProfile | ((current: CompanyProfile) => CompanyProfile); chatUpdates?: boolean; source?: "api" | "chat" },
  now: Date,
): Promise<{ company: SavedCompany; created: boolean }> {
  return db.transaction(async (tx) => {
    const before = await lockCompany(tx, tenantId, externalId);
    // What chat learns is kept only while the company exists and consents, as it stands now.
    if (input.source === "chat" && !before?.chatUpdates) return { company: before, created: false } as never;
    // A function merges into the row as it is now, under its lock: a PUT that landed meanwhile is not lost.
    const profile: CompanyProfile = typeof input.profile === "function" ? input.profile(before?.profile ?? {}) : input.profile;
    const source = input.source ?? "api";
    if (!before) {
      const company = await insertCompany(tx, { tenantId, externalId, profile, chatUpdates: input.chatUpdates ?? false, feedToken: newToken(), now });
      await addProfileVersion(tx, tenantId, externalId, { version: 1, profile, source, now });
      return { company, created: true };
    }
    const changed = !(await sameProfile(tx, before.profile, profile));
    const version = changed ? before.version + 1 : before.version;
    const company = await updateCompany(tx, { tenantId, externalId, profile, chatUpdates: input.chatUpdates ?? before.chatUpdates, version, changed, now });
    if (changed) await addProfileVersion(tx, tenantId, externalId, { version, profile, source, now });
    return { company, created: false };
  });
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
