import { type LexicalHit, LexicalIndex } from "../retrieval/memory-index.js";
import { type Db, parseSparseLiteral, type Queryable } from "./db.js";

/** Chunks per page: about 2.5 MB of sparsevec text each on the corpus, whatever the library's size. */
const LEXICAL_PAGE = 2000;

/**
 * The in-memory lexical index of every chunk, from the stored `lexical` weights, read page by
 * page in id order (so ordinals, which break ties, follow chunk ids as the SQL reference's
 * `ORDER BY …, id` does) in one read-only repeatable-read transaction, so that every page
 * sees the same library. Each page is indexed and dropped before the next is read.
 */
export async function loadLexicalIndex(db: Db, pageSize = LEXICAL_PAGE): Promise<LexicalIndex> {
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return readLexicalIndex(tx, pageSize);
  });
}

/** loadLexicalIndex's pages, in a transaction the caller opened (repeatable read, so that every page sees the same library). */
export async function readLexicalIndex(tx: Queryable, pageSize = LEXICAL_PAGE): Promise<LexicalIndex> {
  const builder = LexicalIndex.builder();
  for (let after = ""; ; ) {
    const { rows } = await tx.query<{ id: string; policy_id: string; lexical: string }>(
      "SELECT id, policy_id, lexical::text AS lexical FROM chunks WHERE id > $1 ORDER BY id LIMIT $2",
      [after, pageSize],
    );
    for (const r of rows) builder.add({ chunkId: r.id, policyId: r.policy_id, lexical: parseSparseLiteral(r.lexical) });
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1].id;
  }
  return builder.build();
}

/**
 * The k chunks of highest inner product with the query literal, every chunk scored in SQL with
 * no candidate selection (`policyIds` limits them): the reference the in-memory index is held to.
 * Chunks sharing no term with the query (score 0) are left out, as the index leaves them out.
 */
export async function scanLexicalTopK(db: Queryable, query: string, k: number, policyIds?: string[]): Promise<LexicalHit[]> {
  const params: unknown[] = [query, k];
  const only = policyIds ? `AND policy_id = ANY($${params.push(policyIds)}::text[])` : "";
  const { rows } = await db.query<LexicalHit>(
    `SELECT id AS "chunkId", policy_id AS "policyId", -(lexical <#> $1::sparsevec) AS score FROM chunks
     WHERE (lexical <#> $1::sparsevec) < 0 ${only}
     ORDER BY lexical <#> $1::sparsevec, id LIMIT $2`,
    params,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}
