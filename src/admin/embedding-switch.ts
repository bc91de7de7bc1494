/**
 * Switching the library to a new embedding model without downtime. Vectors are
 * kept per model (chunk_vectors): a job fills in the new model's vectors in the
 * background, in batches, while queries keep using the active model; when every
 * chunk has one, the new model becomes active in one step. The old vectors are
 * kept (retired) until staff delete them, so a process that has not yet noticed
 * the switch still finds vectors to search.
 */
import { toVectorLiteral } from "../db/db.js";
import { finishJob, recordJobProgress } from "../db/job-store.js";
import { recordIngestRun } from "../db/policy-store.js";
import {
  activateModel,
  analyzeVectors,
  chunksMissingVectors,
  countChunksMissingVectors,
  dropModel,
  type EmbeddingModelRow,
  ensureVectorIndex,
  getActiveModel,
  insertVectors,
  listEmbeddingModels,
  registerModel,
  storedVectorDims,
  vectorCoverage,
} from "../db/vector-store.js";
import type { IngestDeps } from "../ingest/ingest.js";
import type { EmbedParams, Job } from "../jobs/job.js";
import { createJob } from "../jobs/queue.js";
import { AppError } from "../lib/errors.js";
import type { Embedder } from "../llm/embeddings.js";
import { forgetActiveModel, retriesOf, writeEmbedders } from "../retrieval/embedding-models.js";
import { chunkIndexText } from "../retrieval/lexical.js";

/** What a switch needs: the library, and the configured embedders. */
type SwitchDeps = IngestDeps;

/**
 * Chunks embedded per round: one wave of a remote provider's parallel batches
 * (256 for the local model). Each round is stored before the next, so a
 * restart loses at most one wave of work.
 */
const roundOf = (embedder: Embedder) => embedder.wave ?? 256;
/** A library still being written to can need more than one sweep; more than this means something keeps adding chunks without vectors. */
const MAX_SWEEPS = 5;

export type EmbeddingStatus = {
  /** The model that answers queries. */
  active: string | null;
  /** Models this process can embed with: the configured one and the next one. */
  configured: Array<{ model: string; role: "current" | "next" }>;
  models: Array<EmbeddingModelRow & { coverage: number }>;
  chunks: number;
};

export async function embeddingStatus(deps: SwitchDeps): Promise<EmbeddingStatus> {
  const [models, active, { chunks }] = await Promise.all([listEmbeddingModels(deps.db), getActiveModel(deps.db), vectorCoverage(deps.db, "")]);
  return {
    active: active?.model ?? null,
    configured: [
      { model: deps.embedder.modelName, role: "current" as const },
      ...(deps.nextEmbedder && deps.nextEmbedder.modelName !== deps.embedder.modelName ? [{ model: deps.nextEmbedder.modelName, role: "next" as const }] : []),
    ],
    models: models.map((m) => ({ ...m, coverage: chunks ? Math.round((m.vectors / chunks) * 1000) / 1000 : 1 })),
    chunks,
  };
}

/** Queues a switch to `model` (default: the next configured model). Refused if it is not configured here, or already active. */
export async function createEmbedJob(deps: SwitchDeps, model: string | undefined, now: Date): Promise<Job> {
  const target = model ?? deps.nextEmbedder?.modelName;
  if (!target) throw new AppError("bad_request", "model: 未配置新的向量模型（NEXT_EMBEDDING_*），也没有指定 model");
  if (!embedderFor(deps, target)) {
    throw new AppError(
      "bad_request",
      `model: ${target} 未在本服务配置（可用：${writeEmbedders(deps)
        .map((e) => e.modelName)
        .join("、")}）`,
    );
  }
  if ((await getActiveModel(deps.db))?.model === target) throw new AppError("conflict", `${target} 已是当前向量模型`);
  return createJob(deps.db, "embed", { model: target } satisfies EmbedParams, now);
}

function embedderFor(deps: SwitchDeps, model: string): Embedder | undefined {
  return writeEmbedders(deps).find((e) => e.modelName === model);
}

/**
 * Fills the model's missing vectors round by round, then activates it. What
 * is stored stays: a job resumed after a crash starts from the first chunk
 * still without a vector, not from zero.
 */
export async function runEmbedJob(deps: SwitchDeps, job: Job): Promise<void> {
  const { model } = job.params as EmbedParams;
  const embedder = embedderFor(deps, model);
  if (!embedder) throw new Error(`model ${model} is not configured in this process (NEXT_EMBEDDING_* or EMBEDDING_*)`);
  const retriesBefore = retriesOf(deps);
  const start = await vectorCoverage(deps.db, model);
  let embedded = 0;
  let dims = 0;
  let cancelled = false;
  const progress = async (current: string | null) => {
    const { chunks, vectors } = await vectorCoverage(deps.db, model);
    cancelled = await recordJobProgress(deps.db, job.id, {
      done: vectors,
      total: chunks,
      current,
      counts: { embedded, alreadyEmbedded: start.vectors, embeddingRetries: retriesOf(deps) - retriesBefore },
    });
  };
  await progress(null);
  for (let sweep = 0; !cancelled; sweep++) {
    if (sweep === MAX_SWEEPS) throw new Error(`chunks without a ${model} vector keep appearing after ${MAX_SWEEPS} sweeps`);
    let cursor = "";
    let found = 0;
    for (;;) {
      const batch = await chunksMissingVectors(deps.db, model, cursor, roundOf(embedder));
      if (batch.length === 0 || cancelled) break;
      const texts = batch.map((c) => chunkIndexText(c.title, c.heading, c.text));
      const vectors = (await embedder.embedDocuments(texts)).map(toVectorLiteral);
      dims ||= vectors[0]?.split(",").length ?? 0;
      // The text guard drops a vector whose chunk was rewritten meanwhile; the next sweep picks it up.
      embedded += await insertVectors(
        deps.db,
        model,
        batch.map((c) => c.id),
        vectors,
        batch.map((c) => c.text),
      );
      cursor = batch.at(-1)!.id;
      found += batch.length;
      await progress(cursor);
    }
    if (found === 0) break;
  }
  const finish = async (status: "done" | "cancelled") => {
    await progress(null);
    await finishJob(deps.db, job.id, status, deps.clock.now());
  };
  if (cancelled) return finish("cancelled");

  dims ||= await storedVectorDims(deps.db, model);
  if (dims) {
    await registerModel(deps.db, model, dims);
    // Built after the bulk fill, not grown row by row, and before the model answers its first query.
    await ensureVectorIndex(deps.db, model, dims, deps.db.kind === "postgres");
    await analyzeVectors(deps.db);
  }
  await deps.db.transaction(async (tx) => {
    // Nothing may have slipped in since the last sweep: the switch happens only on a complete model.
    const missing = await countChunksMissingVectors(tx, model);
    if (missing > 0) throw new Error(`${missing} chunks still lack a ${model} vector; run the switch again`);
    await activateModel(tx, model, dims || null);
  });
  forgetActiveModel(deps.db);
  // A new ingest-run row renews the answer cache: answers are now retrieved with the new model.
  await recordIngestRun(deps.db, { source: `embedding model switched to ${model}`, added: 0, updated: 0, unchanged: 0, removed: 0, failed: 0, failures: [] });
  deps.logger?.info("embedding model switched", { model, embedded, job: job.id });
  await finish("done");
}

/** Deletes a retired or never-activated model's vectors to reclaim space; the active model cannot be dropped. */
export async function dropEmbeddingModel(deps: SwitchDeps, model: string): Promise<void> {
  const row = (await listEmbeddingModels(deps.db)).find((m) => m.model === model);
  if (!row) throw new AppError("not_found", `没有这个向量模型：${model}`);
  if (row.status === "active") throw new AppError("conflict", `${model} 正在使用，不能删除；先切换到其他模型`);
  await deps.db.transaction((tx) => dropModel(tx, model, row.dims));
}

/**
 * At start: a library whose active model this process cannot embed with (its
 * configuration changed without a switch) is moved to the configured model.
 * Queries use the configured model at once (on the vectors it has; full-text
 * search covers the rest) and a job fills in the missing vectors.
 */
export async function reconcileEmbeddingModel(deps: SwitchDeps): Promise<Job | undefined> {
  const active = await getActiveModel(deps.db);
  if (!active || embedderFor(deps, active.model)) return undefined;
  deps.logger?.warn(
    "the library's embedding model is not configured here; re-embedding with the configured one (set NEXT_EMBEDDING_* and POST /v1/admin/embeddings/switch to switch without a gap)",
    {
      library: active.model,
      configured: deps.embedder.modelName,
    },
  );
  try {
    return await createJob(deps.db, "embed", { model: deps.embedder.modelName } satisfies EmbedParams, deps.clock.now());
  } catch (err) {
    if (err instanceof AppError && err.code === "conflict") return undefined;
    throw err;
  }
}
