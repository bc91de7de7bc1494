import type { Deps } from "../deps.js";
import type { Queryable } from "../db/db.js";
import { ingestLocations, type IngestDeps, type IngestOptions } from "../ingest/ingest.js";
import { writeEmbedders } from "../retrieval/embedding-models.js";
import { runEmbedJob } from "./embedding-switch.js";
import { runBatchJob, type BatchParams } from "../companies/batch.js";
import { AppError } from "../lib/errors.js";

export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled";
export type ReindexParams = {
  paths: string[];
  prune: boolean;
  /** Documents fetched over HTTP(S) (from prefixes the configuration allows). */
  urls?: string[];
  /** Re-index even files whose content is unchanged. */
  force?: boolean;
  /** The policy ids asked for, when staff picked policies rather than folders. */
  ids?: string[];
};
export type EmbedParams = { model: string };
export type JobKind = "reindex" | "embed" | "batch";
export type Job = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  params: ReindexParams | EmbedParams | BatchParams;
  total: number;
  done: number;
  current: string | null;
  counts: Partial<Record<"added" | "updated" | "unchanged" | "removed" | "failed" | "embeddingRetries" | "embedded" | "alreadyEmbedded" | "policies", number>>;
  failures: Array<{ file: string; reason: string; message: string }>;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
};

/**
 * Queues a re-index. The database allows one live re-index per library, so a
 * second request, from this process or another, is refused with the id of
 * the one that runs.
 */
export function createReindexJob(db: Queryable, params: ReindexParams, now: Date): Promise<Job> {
  return createJob(db, "reindex", params, now);
}

const KIND_NAMES: Record<JobKind, string> = { reindex: "重建索引任务", embed: "向量模型切换任务", batch: "批量匹配任务" };

/** One live job of each kind per library; the second is refused with the id and progress of the first. */
export async function createJob(db: Queryable, kind: JobKind, params: Job["params"], now: Date): Promise<Job> {
  const id = `job_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  try {
    await db.query("INSERT INTO jobs (id, kind, status, params, created_at) VALUES ($1, $2, 'queued', $3, $4)", [id, kind, JSON.stringify(params), now.toISOString()]);
  } catch (err) {
    if (!/jobs_one_live_per_(library_)?kind|unique|duplicate/i.test((err as Error).message)) throw err;
    const live = await liveJob(db, kind);
    throw new AppError("conflict", `已有${KIND_NAMES[kind]}在进行：${live?.id ?? "未知"}（${live?.done ?? 0}/${live?.total ?? 0}），请等它完成或取消后再试`);
  }
  return (await getJob(db, id))!;
}

export async function getJob(db: Queryable, id: string): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
  return rows[0] && toJob(rows[0]);
}

export async function listJobs(db: Queryable, limit = 20): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs ORDER BY seq DESC LIMIT $1`, [limit]);
  return rows.map(toJob);
}

async function liveJob(db: Queryable, kind: JobKind): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = $1 AND status IN ('queued', 'running') LIMIT 1`, [kind]);
  return rows[0] && toJob(rows[0]);
}

/** Asks a live job to stop between documents; what it stored stays. */
export async function cancelJob(db: Queryable, id: string): Promise<Job> {
  const { rows } = await db.query<{ id: string }>("UPDATE jobs SET cancel_requested = true WHERE id = $1 AND status IN ('queued', 'running') RETURNING id", [id]);
  const job = await getJob(db, id);
  if (!job) throw new AppError("not_found", `没有这个任务：${id}`);
  if (!rows.length) throw new AppError("conflict", `任务 ${id} 已结束（${job.status}），无法取消`);
  return job;
}

export type JobDeps = IngestDeps & Pick<Deps, "db" | "clock"> & Partial<Pick<Deps, "limits">>;
const FETCH_TIMEOUT_MS = 30_000;

/**
 * Runs a queued (or interrupted) re-index to its end. Each policy is written
 * in one transaction, so a run that dies leaves every policy whole, old or
 * new; running the job again skips what was already stored (same content
 * hash) and so carries on where it stopped.
 */
export async function runJob(deps: JobDeps, id: string, options: Pick<IngestOptions, "onProgress"> = {}): Promise<Job> {
  const job = await getJob(deps.db, id);
  if (!job) throw new AppError("not_found", `没有这个任务：${id}`);
  if (job.status !== "queued" && job.status !== "running") return job;
  const now = () => deps.clock.now().toISOString();
  await deps.db.query("UPDATE jobs SET status = 'running', started_at = coalesce(started_at, $2), attempts = attempts + 1, heartbeat_at = now() WHERE id = $1", [id, now()]);
  // While this process works on the job it says so; if it dies, the heartbeat stops and another process takes over.
  const heartbeat = setInterval(() => void deps.db.query("UPDATE jobs SET heartbeat_at = now() WHERE id = $1", [id]).catch(() => undefined), HEARTBEAT_MS);
  heartbeat.unref?.();
  try {
    return await runClaimed(deps, job, options);
  } finally {
    clearInterval(heartbeat);
  }
}

async function runClaimed(deps: JobDeps, job: Job, options: Pick<IngestOptions, "onProgress">): Promise<Job> {
  const id = job.id;
  const now = () => deps.clock.now().toISOString();
  if (job.kind === "embed" || job.kind === "batch") {
    try {
      if (job.kind === "embed") await runEmbedJob(deps, job as Job & { params: EmbedParams });
      else await runBatchJob(deps, job);
    } catch (err) {
      await failJob(deps, id, err as Error);
    }
    return (await getJob(deps.db, id))!;
  }
  const params = job.params as ReindexParams;
  const stop = new AbortController();
  let lastWrite = 0;
  const retriesBefore = retriesOf(deps);
  try {
    const summary = await ingestLocations(deps, { paths: params.paths, urls: params.urls ?? [] }, {
      prune: params.prune,
      force: params.force,
      fetchLimits: { maxBytes: deps.limits?.uploadMaxBytes ?? 20 * 1_048_576, timeoutMs: FETCH_TIMEOUT_MS },
      signal: stop.signal,
      onProgress: async (done, total, outcome) => {
        await options.onProgress?.(done, total, outcome);
        // Progress is written at most every 200 ms; the cancel flag is read at the same time.
        if (done < total && Date.now() - lastWrite < 200) return;
        lastWrite = Date.now();
        const { rows } = await deps.db.query<{ cancel_requested: boolean }>(
          "UPDATE jobs SET done = $2, total = $3, current = $4 WHERE id = $1 RETURNING cancel_requested",
          [id, done, total, outcome.file],
        );
        if (rows[0]?.cancel_requested) stop.abort();
      },
    });
    const counts = {
      added: summary.added, updated: summary.updated, unchanged: summary.unchanged, removed: summary.removed, failed: summary.failed,
      embeddingRetries: retriesOf(deps) - retriesBefore,
    };
    const done = summary.files.length;
    await deps.db.query(
      "UPDATE jobs SET status = $2, done = $3, total = greatest(total, $3), counts = $4, failures = $5, current = NULL, finished_at = $6 WHERE id = $1",
      [id, stop.signal.aborted ? "cancelled" : "done", done, JSON.stringify(counts), JSON.stringify(summary.failures), now()],
    );
  } catch (err) {
    await failJob(deps, id, err as Error);
  }
  return (await getJob(deps.db, id))!;
}

export async function failJob(deps: JobDeps, id: string, err: Error) {
  await deps.db.query("UPDATE jobs SET status = 'failed', error = $2, current = NULL, finished_at = $3 WHERE id = $1", [id, err.message.slice(0, 2000), deps.clock.now().toISOString()]);
  deps.logger?.error("job failed", { job: id, message: err.message });
}

/** Retries of every configured embedder so far: a job reports the difference. */
export function retriesOf(deps: JobDeps): number {
  return writeEmbedders(deps).reduce((n, e) => n + (e.retries ?? 0), 0);
}

/** Jobs outlive their request: Workers cannot run them (their connection closes with the response). */
export function requireBackgroundWork(deps: Pick<Deps, "runtime">, what: string): void {
  if (deps.runtime === "workers") throw new AppError("not_implemented", `${what}在 Cloudflare Workers 上不可用：请在 Node 服务端执行`);
}

/** Runs a job after the response: its progress is in the database; a failure to even record one is logged. */
export function runInBackground(deps: JobDeps, id: string): void {
  void runJob(deps, id).catch((err) => deps.logger?.error("job could not run", { job: id, message: (err as Error).message }));
}

const HEARTBEAT_MS = 10_000;
/** A job whose heartbeat is older than this has lost its process. */
export const JOB_STALE_MS = 45_000;

/**
 * A job left queued or running by a process that died is run again; what it
 * stored is skipped, so it resumes. Only jobs whose heartbeat is older than
 * `staleAfterMs` are taken (each claimed atomically, so two processes never
 * take the same one); 0 takes every live job (a single process at start, tests).
 */
export async function resumeJobs(deps: JobDeps, staleAfterMs = 0): Promise<Job[]> {
  const { rows } = await deps.db.query<{ id: string }>(
    // The conditions sit on the updated rows themselves: a second process blocked on the same row
    // re-checks them after the first commits, finds a fresh heartbeat and takes nothing.
    `UPDATE jobs SET heartbeat_at = now()
     WHERE status IN ('queued', 'running') AND coalesce(heartbeat_at, created_at) <= now() - make_interval(secs => $1)
     RETURNING id`,
    [staleAfterMs / 1000],
  );
  // Side by side: a claimed job waiting its turn would go stale and be claimed again elsewhere.
  return Promise.all(
    rows.map(({ id }) => {
      deps.logger?.info("resuming an interrupted job", { job: id });
      return runJob(deps, id);
    }),
  );
}

const COLUMNS =
  "id, kind, status, params, total, done, current, counts, failures, error, attempts, created_at, started_at, finished_at, cancel_requested";
type JobRow = {
  id: string; kind: JobKind; status: JobStatus; params: Job["params"]; total: number; done: number; current: string | null;
  counts: Job["counts"]; failures: Job["failures"]; error: string | null; attempts: number;
  created_at: Date | string; started_at: Date | string | null; finished_at: Date | string | null; cancel_requested: boolean;
};
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const toJob = (r: JobRow): Job => ({
  id: r.id, kind: r.kind, status: r.status, params: r.params, total: r.total, done: r.done, current: r.current, counts: r.counts,
  failures: r.failures, error: r.error, attempts: r.attempts, createdAt: iso(r.created_at)!, startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at), cancelRequested: r.cancel_requested,
});
