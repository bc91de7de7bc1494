import { createHash } from "node:crypto";
import { fnv1a32 } from "../lib/hash.js";
import type { Db, Queryable } from "./db.js";
import { recordLibraryChange } from "./library-log.js";

export type EmbeddingModelStatus = "active" | "building" | "retired";
export type EmbeddingModelRow = {
  model: string;
  dims: number | null;
  status: EmbeddingModelStatus;
  activatedAt: string | null;
  /** Chunks that have a vector under this model. */
  vectors: number;
};

/** The chunk vectors of one model, aligned with the chunk ids they belong to. */
export type ModelVectors = { model: string; embeddings: string[] };

export function vectorIndexName(model: string, dims: number): string {
  return `chunk_vectors_hnsw_${fnv1a32(`${model}/${dims}`).toString(16)}`;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * One partial HNSW index per embedding model, so vectors of different sizes
 * and models never mix. `concurrently` (PostgreSQL, outside a transaction)
 * builds it without blocking writes: ingest goes on during a long build.
 */
export async function ensureVectorIndex(db: Queryable, model: string, dims: number, concurrently = false) {
  await db.query(
    `CREATE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS ${vectorIndexName(model, dims)} ON chunk_vectors USING hnsw ((embedding::vector(${dims})) vector_cosine_ops)
     WHERE model = ${quote(model)}`,
  );
}

/**
 * Stores vectors for chunks. `texts`, when given, guards against a chunk that
 * was rewritten while its vector was being computed: the vector is stored only
 * if the chunk still holds the text it was computed from. Vectors that exist
 * already are left alone.
 */
export async function insertVectors(db: Queryable, model: string, chunkIds: string[], embeddings: string[], texts?: string[]): Promise<number> {
  if (chunkIds.length === 0) return 0;
  const guard = texts ? "JOIN chunks c ON c.id = u.id AND md5(c.text) = u.text_md5" : "";
  const { rows } = await db.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO chunk_vectors (chunk_id, model, embedding)
       SELECT u.id, $1, u.embedding::vector FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, embedding, text_md5) ${guard}
       ON CONFLICT DO NOTHING RETURNING 1
     ) SELECT count(*)::int AS n FROM ins`,
    [model, chunkIds, embeddings, texts ? texts.map(md5Hex) : chunkIds.map(() => null)],
  );
  return rows[0].n;
}

// node:crypto is available on Node and on Workers with nodejs_compat.
const md5Hex = (text: string) => createHash("md5").update(text).digest("hex");

export type ChunkToEmbed = { id: string; title: string; heading: string | null; text: string };

/** Chunks with no vector under `model`, in id order after `afterId`: the resumable position of a re-embedding. */
export async function chunksMissingVectors(db: Queryable, model: string, afterId: string, limit: number): Promise<ChunkToEmbed[]> {
  const { rows } = await db.query<ChunkToEmbed>(
    `SELECT c.id, p.title, c.heading, c.text FROM chunks c JOIN policies p ON p.id = c.policy_id
     WHERE c.id > $2 AND NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model = $1)
     ORDER BY c.id LIMIT $3`,
    [model, afterId, limit],
  );
  return rows;
}

export async function vectorCoverage(db: Queryable, model: string): Promise<{ chunks: number; vectors: number }> {
  const { rows } = await db.query<{ chunks: number; vectors: number }>(
    `SELECT (SELECT count(*)::int FROM chunks) AS chunks,
            (SELECT count(*)::int FROM chunk_vectors WHERE model = $1) AS vectors`,
    [model],
  );
  return rows[0];
}

export async function getActiveModel(db: Queryable): Promise<{ model: string; dims: number | null } | undefined> {
  const { rows } = await db.query<{ model: string; dims: number | null }>("SELECT model, dims FROM embedding_models WHERE status = 'active'");
  return rows[0];
}

/** A library's first model becomes its active one; later models wait for a switch. */
export async function registerModel(db: Queryable, model: string, dims: number) {
  await db.query(
    `INSERT INTO embedding_models (model, dims, status, activated_at)
     SELECT $1, $2, CASE WHEN EXISTS (SELECT 1 FROM embedding_models WHERE status = 'active') THEN 'building' ELSE 'active' END,
            CASE WHEN EXISTS (SELECT 1 FROM embedding_models WHERE status = 'active') THEN NULL ELSE now() END
     ON CONFLICT DO NOTHING`,
    [model, dims],
  );
  await db.query("UPDATE embedding_models SET dims = $2 WHERE model = $1 AND dims IS DISTINCT FROM $2", [model, dims]);
}

/** Makes `model` the one that answers queries, in one step; the previous one is kept, retired. */
export async function activateModel(db: Queryable, model: string, dims: number | null) {
  await db.query("UPDATE embedding_models SET status = 'retired' WHERE status = 'active' AND model <> $1", [model]);
  await db.query(
    `INSERT INTO embedding_models (model, dims, status, activated_at) VALUES ($1, $2, 'active', now())
     ON CONFLICT (model) DO UPDATE SET status = 'active', dims = EXCLUDED.dims, activated_at = now()`,
    [model, dims],
  );
  await recordLibraryChange(db, { reason: `embedding model ${model} activated` });
}

export async function listEmbeddingModels(db: Queryable): Promise<EmbeddingModelRow[]> {
  const { rows } = await db.query<{ model: string; dims: number | null; status: EmbeddingModelStatus; activated_at: Date | string | null; vectors: number }>(
    `SELECT m.model, m.dims, m.status, m.activated_at, (SELECT count(*)::int FROM chunk_vectors v WHERE v.model = m.model) AS vectors
     FROM embedding_models m ORDER BY m.status = 'active' DESC, m.created_at DESC`,
  );
  return rows.map((r) => ({
    model: r.model,
    dims: r.dims,
    status: r.status,
    activatedAt: r.activated_at ? new Date(r.activated_at).toISOString() : null,
    vectors: r.vectors,
  }));
}

/** Deletes a model that no longer serves: its vectors, its index and its row. */
export async function dropModel(db: Queryable, model: string, dims: number | null) {
  await db.query("DELETE FROM chunk_vectors WHERE model = $1", [model]);
  if (dims) await db.query(`DROP INDEX IF EXISTS ${vectorIndexName(model, dims)}`);
  await db.query("DELETE FROM embedding_models WHERE model = $1", [model]);
}

/** The dimensions of `model`'s stored vectors; 0 when it has none. */
export async function storedVectorDims(db: Queryable, model: string): Promise<number> {
  const { rows } = await db.query<{ d: number }>("SELECT vector_dims(embedding) AS d FROM chunk_vectors WHERE model = $1 LIMIT 1", [model]);
  return rows[0]?.d ?? 0;
}

/** Chunks still without a vector under `model`. */
export async function countChunksMissingVectors(db: Queryable, model: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model = $1)",
    [model],
  );
  return rows[0].n;
}

export async function dropVectorIndex(db: Queryable, model: string, dims: number) {
  await db.query(`DROP INDEX IF EXISTS ${vectorIndexName(model, dims)}`);
}

/** Builds the model's index with `memory` (maintenance_work_mem, e.g. "1GB") for the build. */
export async function buildVectorIndex(db: Db, model: string, dims: number, memory: string) {
  if (!/^\d+[kMG]B$/.test(memory)) throw new Error(`not a memory size: ${memory}`);
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL maintenance_work_mem = '${memory}'`);
    await ensureVectorIndex(tx, model, dims);
  });
}

/** Fresh planner statistics for the vectors (after a bulk fill), or for the chunks and vectors both. */
export async function analyzeVectors(db: Queryable, withChunks = false) {
  await db.query(withChunks ? "ANALYZE chunks, chunk_vectors" : "ANALYZE chunk_vectors");
}
