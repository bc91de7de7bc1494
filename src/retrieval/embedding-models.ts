import type { Db } from "../db/db.js";
import { getActiveModel } from "../db/vector-store.js";
import { type RefreshAhead, refreshAhead } from "../lib/refresh-ahead.js";
import type { Embedder } from "../llm/embeddings.js";

export type EmbedderDeps = { db: Db; embedder: Embedder; nextEmbedder?: Embedder };

/** The models whose vectors ingest writes: the configured one and, while a switch is prepared, the next. */
export function writeEmbedders(deps: EmbedderDeps): Embedder[] {
  const all = [deps.embedder, deps.nextEmbedder].filter((e): e is Embedder => !!e);
  return all.filter((e, i) => all.findIndex((o) => o.modelName === e.modelName) === i);
}

/** Retries of every configured embedder so far: a job reports the difference. */
export function retriesOf(deps: EmbedderDeps): number {
  return writeEmbedders(deps).reduce((n, e) => n + (e.retries ?? 0), 0);
}

// Several processes share one library: each sees a switch of the active model within 5 s, read again in
// the background once 2.5 s old (under load no question waits behind a busy database for it). Until it
// does it keeps embedding queries with the previous model, whose vectors are kept.
const ACTIVE = { freshMs: 2_500, staleMs: 5_000 };
const activeModels = new WeakMap<Db, RefreshAhead<string | null>>();

export function activeModelName(db: Db): Promise<string | null> {
  let active = activeModels.get(db);
  if (!active) activeModels.set(db, (active = refreshAhead(async () => (await getActiveModel(db))?.model ?? null, ACTIVE)));
  return active.get();
}

/** Called by the process that switched models, so it uses the new one at once. */
export function forgetActiveModel(db: Db) {
  activeModels.delete(db);
}

/**
 * The embedder for questions: the library's active model when this process
 * has it configured; otherwise the configured one (a library indexed with a
 * model this process no longer has, whose vectors a job is re-filling).
 */
export async function queryEmbedder(deps: EmbedderDeps): Promise<Embedder> {
  const active = await activeModelName(deps.db);
  return writeEmbedders(deps).find((e) => e.modelName === active) ?? deps.embedder;
}
