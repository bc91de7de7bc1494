import type { AppRouteHandler } from "../../app-env.js";
import type { Db } from "../../db/db.js";
import { libraryCounts } from "../../policies/catalogue.js";
import type { EmbedderDeps } from "../../retrieval/embedding-models.js";
import { queryEmbedder } from "../../retrieval/embedding-models.js";
import type * as routes from "./health.routes.js";

type Snapshot = { database: "pglite" | "postgres"; embeddingModel: string; policies: number; chunks: number };
type Probe = { snapshot?: Snapshot; at: number; refreshing?: Promise<Snapshot> };

/** Younger than this, the last answer is the answer. */
const FRESH_MS = 1_000;
/** Up to this old, it answers when the database is slow to (behind a burst of /v1/match on PGlite's one connection). */
const STALE_MS = 30_000;
/** How long a probe waits for the database before answering from memory. */
const PATIENCE_MS = 100;
const probes = new WeakMap<Db, Probe>();

function refresh(deps: EmbedderDeps, probe: Probe): Promise<Snapshot> {
  probe.refreshing ??= (async () => {
    const embedder = await queryEmbedder(deps);
    probe.snapshot = { database: deps.db.kind, embeddingModel: embedder.modelName, ...(await libraryCounts(deps.db)) };
    probe.at = Date.now();
    return probe.snapshot;
  })().finally(() => (probe.refreshing = undefined));
  return probe.refreshing;
}

/**
 * A liveness probe must not queue behind heavy queries: the counts come from
 * the database when it answers within PATIENCE_MS, and otherwise from its
 * last answer, if that is under 30 s old. A database that has not answered
 * for longer is waited for (and its failure is the probe's).
 */
async function snapshot(deps: EmbedderDeps): Promise<Snapshot> {
  let probe = probes.get(deps.db);
  if (!probe) probes.set(deps.db, (probe = { at: 0 }));
  const age = Date.now() - probe.at;
  if (probe.snapshot && age < FRESH_MS) return probe.snapshot;
  const fresh = refresh(deps, probe);
  if (!probe.snapshot || age >= STALE_MS) return fresh;
  const cached = probe.snapshot;
  fresh.catch(() => undefined);
  return Promise.race([fresh, new Promise<Snapshot>((r) => setTimeout(() => r(cached), PATIENCE_MS))]);
}

export const health: AppRouteHandler<typeof routes.healthRoute> = async (c) => c.json({ status: "ok" as const, ...(await snapshot(c.get("deps"))) }, 200);
