import type { Db } from "../db/db.js";
import { getChunksOf, getPolicies } from "../db/policy-store.js";
import type { PolicyRecord, StoredChunk } from "../policies/policy.js";
import type { Library, LibrarySnapshot } from "./library.js";

type RecordDeps = { db: Db; library?: Library };

/**
 * The records and chunks of the policies an answer or a match shows: from the process's snapshot (the one
 * given, else the one it holds) with no database read, else from the database. Chunks come grouped by policy,
 * each policy's in position order.
 */
export async function policiesWithChunks(
  deps: RecordDeps,
  ids: string[],
  snapshot: LibrarySnapshot | undefined = deps.library?.current,
): Promise<{ policies: PolicyRecord[]; chunks: StoredChunk[] }> {
  if (snapshot) return { policies: ids.flatMap((id) => snapshot.policies.get(id) ?? []), chunks: snapshot.chunksOf(ids) };
  const [policies, chunks] = await Promise.all([getPolicies(deps.db, ids), getChunksOf(deps.db, ids)]);
  return { policies, chunks };
}
