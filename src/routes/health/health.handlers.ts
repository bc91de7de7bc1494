import type { AppRouteHandler } from "../../app-env.js";
import type { Db } from "../../db/db.js";
import { libraryCounts } from "../../policies/catalogue.js";
import type { EmbedderDeps } from "../../retrieval/embedding-models.js";
import { queryEmbedder } from "../../retrieval/embedding-models.js";
import type * as routes from "./health.routes.js";

type Snapshot = { database: "pglite" | "postgres"; embeddingModel: string; policies: number; chunks: number };
type Probe = { snapshot?: Snapshot; at: number; failed?: boolean; refreshing?: Promise<Snapshot> };

/** Younger than this, the last answer is the answer. */
const FRESH_MS = 1_000;
/** Up to this old, it answers while a fresh one is read (behind a burst of /v1/match on PGlite's one connection). */
const STALE_MS = 30_000;
const probes = new WeakMap<Db, Probe>();

function refresh(deps: EmbedderDeps, probe: Probe): Promise<Snapshot> {
  probe.refreshing ??= (async () => {
    try {
      const embedder = await queryEmbedder(deps);
      probe.snapshot = { database: deps.db.kind, embeddingModel: embedder.modelName, ...(await libraryCounts(deps.db)) };
      probe.at = Date.now();
      probe.failed = false;
      return probe.snapshot;
    } catch (err) {
      probe.failed = true;
      throw err;
    }
  })().finally(() => (probe.refreshing = undefined));
  return probe.refreshing;
}

/**
 * A liveness probe must not queue behind heavy queries: it answers at once from the database's last
 * answer while that is under 30 s old, and asks the database again in the background once it is over
 * a second old. A database that failed its last read, or has not answered for longer, is waited for
 * (and its failure is the probe's), so a dead database fails the probe within about a second.
 */
async function snapshot(deps: EmbedderDeps): Promise<Snapshot> {
  let probe = probes.get(deps.db);
  if (!probe) probes.set(deps.db, (probe = { at: 0 }));
  const age = Date.now() - probe.at;
  if (probe.snapshot && age < FRESH_MS) return probe.snapshot;
  const fresh = refresh(deps, probe);
  if (!probe.snapshot || probe.failed || age >= STALE_MS) return fresh;
  fresh.catch(() => undefined);
  return probe.snapshot;
}

export const health: AppRouteHandler<typeof routes.healthRoute> = async (c) => c.json({ status: "ok" as const, ...(await snapshot(c.get("deps"))) }, 200);
