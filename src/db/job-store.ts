import type { Job, JobCounts, JobFailure, JobKind, JobStatus } from "../jobs/job.js";
import type { Queryable } from "./db.js";

/** Adds a queued job. A second live job of a kind breaks the table's unique index (see isLiveJobConflict). */
export async function insertJob(db: Queryable, job: { id: string; kind: JobKind; params: Job["params"]; createdAt: Date }): Promise<void> {
  await db.query("INSERT INTO jobs (id, kind, status, params, created_at) VALUES ($1, $2, 'queued', $3, $4)", [
    job.id,
    job.kind,
    JSON.stringify(job.params),
    job.createdAt.toISOString(),
  ]);
}

/** Whether an insert failed because a live job of that kind already exists. */
export const isLiveJobConflict = (err: unknown) => /jobs_one_live_per_(library_)?kind|unique|duplicate/i.test((err as Error).message);

export async function getJob(db: Queryable, id: string): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
  return rows[0] && toJob(rows[0]);
}

export async function listJobs(db: Queryable, limit = 20): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs ORDER BY seq DESC LIMIT $1`, [limit]);
  return rows.map(toJob);
}

export async function liveJobOfKind(db: Queryable, kind: JobKind): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = $1 AND status IN ('queued', 'running') LIMIT 1`, [kind]);
  return rows[0] && toJob(rows[0]);
}

/** Flags a live job to stop; false when there is no such live job. */
export async function requestCancel(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query("UPDATE jobs SET cancel_requested = true WHERE id = $1 AND status IN ('queued', 'running') RETURNING id", [id]);
  return rows.length > 0;
}

/** Marks a job running (counting the attempt) and stamps its heartbeat. */
export async function startJobRun(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query("UPDATE jobs SET status = 'running', started_at = coalesce(started_at, $2), attempts = attempts + 1, heartbeat_at = now() WHERE id = $1", [
    id,
    now.toISOString(),
  ]);
}

export async function beatJob(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE jobs SET heartbeat_at = now() WHERE id = $1", [id]);
}

/** Records progress (counts only when given); returns whether a cancel was asked for. */
export async function recordJobProgress(
  db: Queryable,
  id: string,
  p: { done: number; total: number; current: string | null; counts?: JobCounts },
): Promise<boolean> {
  const { rows } = await db.query<{ cancel_requested: boolean }>(
    "UPDATE jobs SET done = $2, total = $3, current = $4, counts = coalesce($5::jsonb, counts) WHERE id = $1 RETURNING cancel_requested",
    [id, p.done, p.total, p.current, p.counts ? JSON.stringify(p.counts) : null],
  );
  return !!rows[0]?.cancel_requested;
}

export async function setJobTotal(db: Queryable, id: string, total: number): Promise<void> {
  await db.query("UPDATE jobs SET total = $2 WHERE id = $1", [id, total]);
}

export async function finishJob(db: Queryable, id: string, status: "done" | "cancelled", at: Date): Promise<void> {
  await db.query("UPDATE jobs SET status = $2, current = NULL, finished_at = $3 WHERE id = $1", [id, status, at.toISOString()]);
}

/** Ends a job with what it did: `done` items, counts and failures. */
export async function finishJobWithResults(
  db: Queryable,
  id: string,
  r: { status: "done" | "cancelled"; done: number; counts: JobCounts; failures: JobFailure[] },
  at: Date,
): Promise<void> {
  await db.query(
    "UPDATE jobs SET status = $2, done = $3, total = greatest(total, $3), counts = $4, failures = $5, current = NULL, finished_at = $6 WHERE id = $1",
    [id, r.status, r.done, JSON.stringify(r.counts), JSON.stringify(r.failures), at.toISOString()],
  );
}

export async function failJobRow(db: Queryable, id: string, message: string, at: Date): Promise<void> {
  await db.query("UPDATE jobs SET status = 'failed', error = $2, current = NULL, finished_at = $3 WHERE id = $1", [
    id,
    message.slice(0, 2000),
    at.toISOString(),
  ]);
}

/**
 * Claims the live jobs whose heartbeat is older than `staleAfterMs` (0: every
 * live job) by stamping a fresh one; returns their ids.
 */
export async function claimStaleJobs(db: Queryable, staleAfterMs: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    // The conditions sit on the updated rows themselves: a second process blocked on the same row
    // re-checks them after the first commits, finds a fresh heartbeat and takes nothing.
    `UPDATE jobs SET heartbeat_at = now()
     WHERE status IN ('queued', 'running') AND coalesce(heartbeat_at, created_at) <= now() - make_interval(secs => $1)
     RETURNING id`,
    [staleAfterMs / 1000],
  );
  return rows.map((r) => r.id);
}

const COLUMNS = "id, kind, status, params, total, done, current, counts, failures, error, attempts, created_at, started_at, finished_at, cancel_requested";
type JobRow = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  params: Job["params"];
  total: number;
  done: number;
  current: string | null;
  counts: Job["counts"];
  failures: Job["failures"];
  error: string | null;
  attempts: number;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  cancel_requested: boolean;
};
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  params: r.params,
  total: r.total,
  done: r.done,
  current: r.current,
  counts: r.counts,
  failures: r.failures,
  error: r.error,
  attempts: r.attempts,
  createdAt: iso(r.created_at)!,
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
  cancelRequested: r.cancel_requested,
});
