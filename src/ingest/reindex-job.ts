/** The re-index job: ingest of folders, files and URLs, with progress and cancel between documents. */
import type { Queryable } from "../db/db.js";
import { finishJobWithResults, recordJobProgress } from "../db/job-store.js";
import type { Job, ReindexParams } from "../jobs/job.js";
import { createJob } from "../jobs/queue.js";
import { retriesOf } from "../retrieval/embedding-models.js";
import { type IngestDeps, type IngestOptions, ingestLocations } from "./ingest.js";

const FETCH_TIMEOUT_MS = 30_000;

/**
 * Queues a re-index. The database allows one live re-index per library, so a
 * second request, from this process or another, is refused with the id of
 * the one that runs.
 */
export function createReindexJob(db: Queryable, params: ReindexParams, now: Date): Promise<Job> {
  return createJob(db, "reindex", params, now);
}

/**
 * Each policy is written in one transaction, so a run that dies leaves every
 * policy whole, old or new; running the job again skips what was already
 * stored (same content hash) and so carries on where it stopped.
 */
export async function runReindexJob(deps: IngestDeps, job: Job, options: Pick<IngestOptions, "onProgress">): Promise<void> {
  const id = job.id;
  const params = job.params as ReindexParams;
  const stop = new AbortController();
  let lastWrite = 0;
  const retriesBefore = retriesOf(deps);
  const summary = await ingestLocations(
    deps,
    { paths: params.paths, urls: params.urls ?? [] },
    {
      prune: params.prune,
      force: params.force,
      fetchLimits: { maxBytes: deps.limits?.uploadMaxBytes ?? 20 * 1_048_576, timeoutMs: FETCH_TIMEOUT_MS },
      signal: stop.signal,
      onProgress: async (done, total, outcome) => {
        await options.onProgress?.(done, total, outcome);
        // Progress is written at most every 200 ms; the cancel flag is read at the same time.
        if (done < total && Date.now() - lastWrite < 200) return;
        lastWrite = Date.now();
        if (await recordJobProgress(deps.db, id, { done, total, current: outcome.file })) stop.abort();
      },
    },
  );
  const counts = {
    added: summary.added,
    updated: summary.updated,
    unchanged: summary.unchanged,
    removed: summary.removed,
    failed: summary.failed,
    embeddingRetries: retriesOf(deps) - retriesBefore,
  };
  await finishJobWithResults(
    deps.db,
    id,
    { status: stop.signal.aborted ? "cancelled" : "done", done: summary.files.length, counts, failures: summary.failures },
    deps.clock.now(),
  );
}
