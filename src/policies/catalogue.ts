/**
 * The policy catalogue as the API reads and changes it: what routes call (the
 * SQL is in db/policy-store.ts).
 */
import type { Db } from "../db/db.js";
import { setPolicyStatus } from "../db/policy-store.js";
import { AppError } from "../lib/errors.js";

export { getChunkPage, getChunksOf, getPolicies, libraryCounts, listPolicies } from "../db/policy-store.js";

/** Takes a policy out of answers and matching; its text and versions stay. */
export async function withdrawPolicy(db: Db, id: string): Promise<void> {
  if (!(await setPolicyStatus(db, id, "withdrawn"))) throw new AppError("not_found", `没有这项政策：${id}`);
}
