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

/** Adds queued jobs of one kind at once (a notification's webhook deliveries). */
export async function insertJobs(db: Queryable, kind: JobKind, jobs: Array<{ id: string; params: Job["params"] }>, createdAt: Date): Promise<void> {
  await db.query(
    "INSERT INTO jobs (id, kind, status, params, created_at) SELECT u.id, $1, 'queued', u.params::jsonb, $4 FROM unnest($2::text[], $3::text[]) AS u(id, params)",
    [kind, jobs.map((j) => j.id), jobs.map((j) => JSON.stringify(j.params)), createdAt.toISOString()],
  );
}

/** Whether an insert failed because a live job of that kind already exists. */
export const isLiveJobConflict = (err: unknown) => /jobs_one_live_per_(library_)?kind|unique|duplicate/i.test((err as Error).message);

export async function getJob(db: Queryable, id: string): Promise<Job | undefined> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]);
  return rows[0] && toJob(rows[0]);
}

/** The latest jobs of the given kinds, newest first. */
export async function listJobs(db: Queryable, kinds: JobKind[], limit = 20): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE kind = ANY($1) ORDER BY seq DESC LIMIT $2`, [kinds, limit]);
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

/** Marks a job done unless its runner already ended it otherwise (cancelled). */
export async function finishRunningJob(db: Queryable, id: string, at: Date): Promise<void> {
  await db.query("UPDATE jobs SET status = 'done', error = NULL, current = NULL, finished_at = $2 WHERE id = $1 AND status = 'running'", [
    id,
    at.toISOString(),
  ]);
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
 * Claims the live jobs of `kinds` whose heartbeat is older than `staleAfterMs`
 * (0: every live job) by stamping a fresh one; returns their ids.
 */
export async function claimStaleJobs(db: Queryable, kinds: JobKind[], staleAfterMs: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    // The conditions sit on the updated rows themselves: a second process blocked on the same row
    // re-checks them after the first commits, finds a fresh heartbeat and takes nothing.
    `UPDATE jobs SET heartbeat_at = now()
     WHERE kind = ANY($2) AND status IN ('queued', 'running') AND coalesce(heartbeat_at, created_at) <= now() - make_interval(secs => $1)
     RETURNING id`,
    [staleAfterMs / 1000, kinds],
  );
  return rows.map((r) => r.id);
}

/**
 * Claims up to `limit` jobs of `kinds` that are due (queued with run_after
 * passed) or whose process stopped beating for `staleAfterMs`: each is marked
 * running, its attempt counted. SKIP LOCKED lets several processes claim side
 * by side, each row going to one of them.
 */
export async function claimDueJobs(db: Queryable, kinds: JobKind[], staleAfterMs: number, limit: number, now: Date): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, heartbeat_at = now(), started_at = coalesce(started_at, $4)
     WHERE id IN (
       SELECT id FROM jobs WHERE kind = ANY($1)
         AND ((status = 'queued' AND run_after <= now()) OR (status = 'running' AND heartbeat_at <= now() - make_interval(secs => $2)))
       ORDER BY run_after LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [kinds, staleAfterMs / 1000, limit, now.toISOString()],
  );
  return rows.map(toJob);
}

/** Milliseconds until the next queued job of `kinds` falls due (negative: overdue); null when none is queued. */
export async function msUntilNextDueJob(db: Queryable, kinds: JobKind[]): Promise<number | null> {
  const { rows } = await db.query<{ wait_ms: number | null }>(
    "SELECT (extract(epoch FROM min(run_after) - now()) * 1000)::int AS wait_ms FROM jobs WHERE status = 'queued' AND kind = ANY($1)",
    [kinds],
  );
  return rows[0]?.wait_ms ?? null;
}

/** A failed attempt that will be tried again: queued, due after `delayMs`, with why it failed. */
export async function retryJobLater(db: Queryable, id: string, message: string, delayMs: number): Promise<void> {
  await db.query("UPDATE jobs SET status = 'queued', error = $2, run_after = now() + make_interval(secs => $3) WHERE id = $1 AND status = 'running'", [
    id,
    message.slice(0, 2000),
    delayMs / 1000,
  ]);
}

/** An attempt cut short before it could finish: queued again at once, as if it had not started. */
export async function releaseJob(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), run_after = now() WHERE id = $1 AND status = 'running'", [id]);
}

/** Jobs of `kinds` left running by a process whose heartbeat stopped `staleAfterMs` ago (0: all): queued again at once. */
export async function requeueStaleJobs(db: Queryable, kinds: JobKind[], staleAfterMs: number): Promise<number> {
  const { rows } = await db.query(
    `UPDATE jobs SET status = 'queued', run_after = now()
     WHERE kind = ANY($1) AND status = 'running' AND coalesce(heartbeat_at, created_at) <= now() - make_interval(secs => $2) RETURNING id`,
    [kinds, staleAfterMs / 1000],
  );
  return rows.length;
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
