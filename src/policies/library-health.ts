import type { Db } from "../db/db.js";
import { type RefreshAhead, refreshAhead } from "../lib/refresh-ahead.js";
import type { EmbedderDeps } from "../retrieval/embedding-models.js";
import { queryEmbedder } from "../retrieval/embedding-models.js";
import { libraryCounts } from "./catalogue.js";

export type LibraryHealth = { database: "pglite" | "postgres"; embeddingModel: string; policies: number; chunks: number };

/**
 * What a liveness probe reports, without queuing behind heavy queries: the database's last answer while it
 * is under 30 s old, asked again in the background once it is over a second old. A database that failed its
 * last read, or has not answered for longer, is waited for (and its failure is the probe's), so a dead
 * database fails the probe within about a second.
 */
const PROBE = { freshMs: 1_000, staleMs: 30_000 };
const probes = new WeakMap<Db, RefreshAhead<LibraryHealth>>();

export function libraryHealth(deps: EmbedderDeps): Promise<LibraryHealth> {
  let probe = probes.get(deps.db);
  if (!probe) {
    probe = refreshAhead(async () => {
      const embedder = await queryEmbedder(deps);
      return { database: deps.db.kind, embeddingModel: embedder.modelName, ...(await libraryCounts(deps.db)) };
    }, PROBE);
    probes.set(deps.db, probe);
  }
  return probe.get();
}
