import { CHUNK_COUNT_TERM } from "../retrieval/lexical.js";
import type { ChunkText, LibraryDelta, LibraryState, LibraryStore } from "../retrieval/library.js";
import { type Db, parseSparseLiteral, type Queryable } from "./db.js";
import { readLexicalIndex } from "./lexical-store.js";
import { libraryGeneration } from "./library-log.js";
import { getPolicies, listAllPolicies } from "./policy-store.js";

/** Reads run in one read-only repeatable-read transaction: the generation and every row belong to one snapshot. */
function inSnapshot<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return fn(tx);
  });
}

export function createLibraryStore(db: Db): LibraryStore {
  return {
    load: () =>
      inSnapshot(db, async (tx): Promise<LibraryState> => {
        const generation = await libraryGeneration(tx);
        const policies = await listAllPolicies(tx);
        const index = await readLexicalIndex(tx);
        return { generation, index, policies: new Map(policies.map((p) => [p.id, p])) };
      }),

    generation: () => libraryGeneration(db),

    changesSince: (since, maxChunks) =>
      inSnapshot(db, async (tx): Promise<LibraryDelta | null> => {
        const generation = await libraryGeneration(tx);
        if (generation <= since) return { generation: since, chunkIds: [], chunks: [], policies: new Map() };
        const { rows: log } = await tx.query<{ policy_ids: string[]; chunk_ids: string[] }>(
          "SELECT policy_ids, chunk_ids FROM library_changes WHERE generation > $1 AND generation <= $2 ORDER BY generation",
          [since, generation],
        );
        // Generations are gapless (a row, not a sequence): a shorter log was pruned past `since`.
        if (log.length !== generation - since) return null;
        const chunkIds = [...new Set(log.flatMap((r) => r.chunk_ids))];
        if (chunkIds.length > maxChunks) return null;
        const { rows: chunks } = chunkIds.length
          ? await tx.query<{ id: string; policy_id: string; lexical: string }>(
              "SELECT id, policy_id, lexical::text AS lexical FROM chunks WHERE id = ANY($1::text[]) ORDER BY id",
              [chunkIds],
            )
          : { rows: [] };
        const policyIds = [...new Set([...log.flatMap((r) => r.policy_ids), ...chunks.map((c) => c.policy_id)])];
        const byId = new Map((await getPolicies(tx, policyIds)).map((p) => [p.id, p]));
        return {
          generation,
          chunkIds,
          chunks: chunks.map((c) => ({ chunkId: c.id, policyId: c.policy_id, lexical: parseSparseLiteral(c.lexical) })),
          policies: new Map(policyIds.map((id) => [id, byId.get(id) ?? null])),
        };
      }),

    // One statement each: its rows and the generation come from one snapshot.
    async termStats(terms) {
      const { rows } = await db.query<{ generation: string; term: string | null; df: number | null }>(
        `SELECT g.generation, s.term, s.df FROM library_generation g
         LEFT JOIN term_stats s ON s.term = ANY($1::text[]) AND s.df > 0`,
        [[...new Set([...terms, CHUNK_COUNT_TERM])]],
      );
      const df = new Map<string, number>();
      for (const r of rows) if (r.term !== null) df.set(r.term, r.df!);
      return { generation: Number(rows[0].generation), df };
    },

    async chunkTexts(ids) {
      const { rows } = await db.query<{ generation: string; id: string | null; heading: string | null; text: string | null }>(
        `SELECT g.generation, c.id, c.heading, c.text FROM library_generation g
         LEFT JOIN chunks c ON c.id = ANY($1::text[])`,
        [ids],
      );
      const texts = new Map<string, ChunkText>();
      for (const r of rows) if (r.id !== null) texts.set(r.id, { heading: r.heading, text: r.text! });
      return { generation: Number(rows[0].generation), texts };
    },
  };
}
