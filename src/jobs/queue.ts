/**
 * The one job queue: create, claim, heartbeat, cancel, resume. It knows no
 * feature: each kind's runner is handed to createJobQueue by the composition
 * (src/job-runners.ts), so a feature may queue jobs without the queue
 * importing it back.
 */
import type { Db, Queryable } from "../db/db.js";
import { beatJob, claimStaleJobs, failJobRow, getJob, insertJob, isLiveJobConflict, liveJobOfKind, requestCancel, startJobRun } from "../db/job-store.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { JOB_KIND_NAMES, type Job, type JobKind } from "./job.js";

export { getJob, listJobs } from "../db/job-store.js";

export type QueueDeps = { db: Db; clock: Clock; logger?: Logger };

/** Runs a claimed job to its end and records it done or cancelled; a throw fails the job. */
export type JobRunner<D, O> = (deps: D, job: Job, options: O) => Promise<void>;

/** One live job of each kind per library; the second is refused with the id and progress of the first. */
export async function createJob(db: Queryable, kind: JobKind, params: Job["params"], now: Date): Promise<Job> {
  const id = `job_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  try {
    await insertJob(db, { id, kind, params, createdAt: now });
  } catch (err) {
    if (!isLiveJobConflict(err)) throw err;
    const live = await liveJobOfKind(db, kind);
    throw new AppError(
      "conflict",
      `已有${JOB_KIND_NAMES[kind]}在进行：${live?.id ?? "未知"}（${live?.done ?? 0}/${live?.total ?? 0}），请等它完成或取消后再试`,
    );
  }
  return (await getJob(db, id))!;
}

/** Asks a live job to stop between items; what it stored stays. */
export async function cancelJob(db: Queryable, id: string): Promise<Job> {
  const flagged = await requestCancel(db, id);
  const job = await getJob(db, id);
  if (!job) throw new AppError("not_found", `没有这个任务：${id}`);
  if (!flagged) throw new AppError("conflict", `任务 ${id} 已结束（${job.status}），无法取消`);
  return job;
}

export async function failJob(deps: QueueDeps, id: string, err: Error) {
  await failJobRow(deps.db, id, err.message, deps.clock.now());
  deps.logger?.error("job failed", { job: id, message: err.message });
}

/** Jobs outlive their request: Workers cannot run them (their connection closes with the response). */
export function requireBackgroundWork(deps: { runtime: "node" | "workers" }, what: string): void {
  if (deps.runtime === "workers") throw new AppError("not_implemented", `${what}在 Cloudflare Workers 上不可用：请在 Node 服务端执行`);
}

const HEARTBEAT_MS = 10_000;
/** A job whose heartbeat is older than this has lost its process. */
export const JOB_STALE_MS = 45_000;

/** The queue's running half, over the runners of every kind. */
export function createJobQueue<D extends QueueDeps, O extends object>(runners: Record<JobKind, JobRunner<D, O>>) {
  /**
   * Runs a queued (or interrupted) job to its end. Runners store their work
   * item by item, so a run that dies leaves it consistent, and running the
   * job again carries on where it stopped.
   */
  async function runJob(deps: D, id: string, options = {} as O): Promise<Job> {
    const job = await getJob(deps.db, id);
    if (!job) throw new AppError("not_found", `没有这个任务：${id}`);
    if (job.status !== "queued" && job.status !== "running") return job;
    await startJobRun(deps.db, id, deps.clock.now());
    // While this process works on the job it says so; if it dies, the heartbeat stops and another process takes over.
    const heartbeat = setInterval(() => void beatJob(deps.db, id).catch(() => undefined), HEARTBEAT_MS);
    heartbeat.unref?.();
    try {
      await runners[job.kind](deps, job, options);
    } catch (err) {
      await failJob(deps, id, err as Error);
    } finally {
      clearInterval(heartbeat);
    }
    return (await getJob(deps.db, id))!;
  }

  /** Runs a job after the response: its progress is in the database; a failure to even record one is logged. */
  function runInBackground(deps: D, id: string): void {
    void runJob(deps, id).catch((err) => deps.logger?.error("job could not run", { job: id, message: (err as Error).message }));
  }

  /**
   * A job left queued or running by a process that died is run again; what it
   * stored is skipped, so it resumes. Only jobs whose heartbeat is older than
   * `staleAfterMs` are taken (each claimed atomically, so two processes never
   * take the same one); 0 takes every live job (a single process at start, tests).
   */
  async function resumeJobs(deps: D, staleAfterMs = 0): Promise<Job[]> {
    const ids = await claimStaleJobs(deps.db, staleAfterMs);
    // Side by side: a claimed job waiting its turn would go stale and be claimed again elsewhere.
    return Promise.all(
      ids.map((id) => {
        deps.logger?.info("resuming an interrupted job", { job: id });
        return runJob(deps, id);
      }),
    );
  }

  return { runJob, runInBackground, resumeJobs };
}
