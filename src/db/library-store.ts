import { CHUNK_COUNT_TERM } from "../retrieval/lexical.js";
import type { LibraryChunk, LibraryDelta, LibraryState, LibraryStore } from "../retrieval/library.js";
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

/** Chunks per page of texts. */
const TEXT_PAGE = 2000;

/** Every chunk's text, read page by page in id order, in the caller's repeatable-read transaction. */
async function readChunkTexts(tx: Queryable): Promise<Map<string, LibraryChunk>> {
  const texts = new Map<string, LibraryChunk>();
  for (let after = ""; ; ) {
    const { rows } = await tx.query<LibraryChunk>(
      `SELECT id, policy_id AS "policyId", position, heading, text FROM chunks WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, TEXT_PAGE],
    );
    for (const r of rows) texts.set(r.id, r);
    if (rows.length < TEXT_PAGE) return texts;
    after = rows[rows.length - 1].id;
  }
}

export function createLibraryStore(db: Db): LibraryStore {
  return {
    load: () =>
      inSnapshot(db, async (tx): Promise<LibraryState> => {
        const generation = await libraryGeneration(tx);
        const policies = await listAllPolicies(tx);
        const index = await readLexicalIndex(tx);
        const chunks = await readChunkTexts(tx);
        return { generation, index, policies: new Map(policies.map((p) => [p.id, p])), chunks };
      }),

    generation: () => libraryGeneration(db),

    changesSince: (since, maxChunks) =>
      inSnapshot(db, async (tx): Promise<LibraryDelta | null> => {
        const generation = await libraryGeneration(tx);
        if (generation <= since) return { generation: since, chunkIds: [], chunks: [], texts: [], policies: new Map() };
        const { rows: log } = await tx.query<{ policy_ids: string[]; chunk_ids: string[] }>(
          "SELECT policy_ids, chunk_ids FROM library_changes WHERE generation > $1 AND generation <= $2 ORDER BY generation",
          [since, generation],
        );
        // Generations are gapless (a row, not a sequence): a shorter log was pruned past `since`.
        if (log.length !== generation - since) return null;
        const chunkIds = [...new Set(log.flatMap((r) => r.chunk_ids))];
        if (chunkIds.length > maxChunks) return null;
        const { rows: chunks } = chunkIds.length
          ? await tx.query<{ id: string; policy_id: string; lexical: string } & Omit<LibraryChunk, "policyId">>(
              "SELECT id, policy_id, position, heading, text, lexical::text AS lexical FROM chunks WHERE id = ANY($1::text[]) ORDER BY id",
              [chunkIds],
            )
          : { rows: [] };
        const policyIds = [...new Set([...log.flatMap((r) => r.policy_ids), ...chunks.map((c) => c.policy_id)])];
        const byId = new Map((await getPolicies(tx, policyIds)).map((p) => [p.id, p]));
        return {
          generation,
          chunkIds,
          chunks: chunks.map((c) => ({ chunkId: c.id, policyId: c.policy_id, lexical: parseSparseLiteral(c.lexical) })),
          texts: chunks.map((c) => ({ id: c.id, policyId: c.policy_id, position: c.position, heading: c.heading, text: c.text })),
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
  };
}
