import type { Queryable } from "./db.js";

/** What a writing transaction changed, for the processes that hold the library in memory. */
export type LibraryChange = { reason: string; policyIds?: string[]; chunkIds?: string[] };

/**
 * Bumps the library's generation and logs what the transaction changed. Called as the last statement
 * of every transaction that writes policies, chunks, term statistics or the active embedding model:
 * the generation row stays locked until commit, so writers commit in generation order, and taking
 * it last (after the term rows each writer locks in sorted order) adds no lock cycle.
 */
export async function recordLibraryChange(tx: Queryable, change: LibraryChange): Promise<number> {
  const { rows } = await tx.query<{ generation: string }>(
    `WITH g AS (UPDATE library_generation SET generation = generation + 1 RETURNING generation)
     INSERT INTO library_changes (generation, policy_ids, chunk_ids, reason)
     SELECT generation, $1::text[], $2::text[], $3 FROM g RETURNING generation`,
    [[...new Set(change.policyIds ?? [])], [...new Set(change.chunkIds ?? [])], change.reason],
  );
  return Number(rows[0].generation);
}

export async function libraryGeneration(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ generation: string }>("SELECT generation FROM library_generation");
  return Number(rows[0]?.generation ?? 0);
}

/** Forgets change-log rows older than `keepHours` (a process further behind than that reloads its library). The newest row stays. */
export async function pruneLibraryChanges(db: Queryable, keepHours = 24): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM library_changes WHERE changed_at < now() - make_interval(hours => $1)
       AND generation < (SELECT generation FROM library_generation) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [keepHours],
  );
  return rows[0].n;
}
