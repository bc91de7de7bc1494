import type { PolicyFilter } from "../retrieval/library.js";
import type { Queryable } from "./db.js";

/** A chunk as search reads it, with its policy's title and region, and its score on one path. */
export type ChunkRow = { id: string; policy_id: string; heading: string | null; text: string; score: number; region_path: string[]; title: string };

function filterSql(params: unknown[], filter: PolicyFilter): string {
  const parts = [`p.status = ANY($${params.push(filter.statuses)}::text[])`];
  if (filter.regionPath) parts.push(`p.region_path <@ $${params.push(filter.regionPath)}::text[]`);
  if (filter.placePath) {
    const i = params.push(filter.placePath);
    parts.push(`(p.region_path <@ $${i}::text[] OR p.region_path @> $${i}::text[])`);
  }
  if (filter.policyIds) parts.push(`p.id = ANY($${params.push(filter.policyIds)}::text[])`);
  return parts.join(" AND ");
}

/**
 * The `limit` chunks of highest BM25 score (the inner product with the query's sparse vector) among
 * those the GIN index finds for `selectors` (a tsquery), equal scores in chunk id order.
 */
export async function lexicalCandidates(db: Queryable, query: string, selectors: string, filter: PolicyFilter, limit: number): Promise<ChunkRow[]> {
  const params: unknown[] = [query, selectors];
  const where = filterSql(params, filter);
  const { rows } = await db.query<ChunkRow>(
    `SELECT c.id, c.policy_id, c.heading, c.text, p.region_path, p.title, -(c.lexical <#> $1::sparsevec) AS score
     FROM chunks c JOIN policies p ON p.id = c.policy_id
     WHERE c.tsv @@ $2::tsquery AND ${where}
     ORDER BY c.lexical <#> $1::sparsevec, c.id COLLATE "C" LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

/** The `limit` nearest chunks to `vector` under `model` (through its HNSW index, `limit` × 2 deep), then filtered. */
export async function vectorCandidates(db: Queryable, vector: string, dims: number, model: string, filter: PolicyFilter, limit: number): Promise<ChunkRow[]> {
  const params: unknown[] = [vector, model];
  const where = filterSql(params, filter);
  // The inner query walks the model's HNSW index; filters apply to its candidates.
  const { rows } = await db.query<ChunkRow>(
    `SELECT c.id, c.policy_id, c.heading, c.text, p.region_path, p.title, 1 - c.distance AS score
     FROM (SELECT ch.id, ch.policy_id, ch.heading, ch.text, v.distance
           FROM (SELECT chunk_id, embedding::vector(${dims}) <=> $1::vector(${dims}) AS distance
                 FROM chunk_vectors WHERE model = $2
                 ORDER BY embedding::vector(${dims}) <=> $1::vector(${dims}) LIMIT ${limit * 2}) v
           JOIN chunks ch ON ch.id = v.chunk_id) c
     JOIN policies p ON p.id = c.policy_id
     WHERE ${where}
     ORDER BY c.distance LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}
