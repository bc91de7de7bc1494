/**
 * The one job queue: create, claim, heartbeat, cancel, retry, resume. It knows
 * no feature: each kind's runner is handed to createJobQueue by the
 * composition (src/job-runners.ts), so a feature may queue jobs without the
 * queue importing it back.
 *
 * Two ways a kind runs. Most are started by the request that created them
 * (runJob, runInBackground) and taken over by another process only when their
 * heartbeat stops (resumeJobs). A scheduled kind (a webhook delivery) is due
 * at a time and taken by whichever process is free (the pool): each attempt
 * claimed with a heartbeat, a failure retried after a doubling delay up to
 * the kind's attempts, then failed.
 */
import type { Db, Queryable } from "../db/db.js";
import {
  beatJob,
  claimDueJobs,
  claimStaleJobs,
  failJobRow,
  finishRunningJob,
  getJob,
  insertJob,
  insertJobs,
  isLiveJobConflict,
  liveJobOfKind,
  msUntilNextDueJob,
  releaseJob,
  requestCancel,
  requeueStaleJobs,
  retryJobLater,
  startJobRun,
} from "../db/job-store.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { JOB_KIND_NAMES, type Job, type JobKind, type JobPool } from "./job.js";

export { getJob, listJobs } from "../db/job-store.js";

export type QueueDeps = { db: Db; clock: Clock; logger?: Logger };

/** Runs a claimed job to its end and records it done or cancelled; a throw fails the job. */
export type JobRunner<D, O> = (deps: D, job: Job, options: O) => Promise<void>;

/** One attempt at a scheduled job, as its runner sees it. */
export type JobAttempt = {
  /** 1 for the first attempt. */
  number: number;
  /** No retry follows if this one fails. */
  last: boolean;
  /** Aborted when the process hands the job back (drain): the attempt should stop and record nothing. */
  signal: AbortSignal;
};
export type RetryPolicy = { maxAttempts: number; baseMs: number };

/**
 * A kind due at a time and run by whichever process is free. `run` resolving
 * ends the job done (unless it ended it otherwise); a throw is a failed
 * attempt, retried after baseMs·2^(n−1) (at most an hour) until maxAttempts.
 */
export type ScheduledRunner<D> = {
  run: (deps: D, job: Job, attempt: JobAttempt) => Promise<void>;
  /** Read at each attempt: configuration may change while a process lives. */
  retry: (deps: D) => RetryPolicy;
  /** Whether this process runs the kind now (false: the jobs wait for one that does). */
  enabled?: (deps: D) => boolean;
};

const isScheduled = <D, O>(r: JobRunner<D, O> | ScheduledRunner<D>): r is ScheduledRunner<D> => typeof r !== "function";

/** Queues jobs of a scheduled kind, due now; returns their ids in the order given. */
export async function queueJobs(db: Queryable, kind: JobKind, params: Array<Job["params"]>, now: Date): Promise<string[]> {
  const jobs = params.map((p) => ({ id: newJobId(), params: p }));
  if (jobs.length) await insertJobs(db, kind, jobs, now);
  return jobs.map((j) => j.id);
}

const newJobId = () => `job_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;

/** One live job of each kind per library; the second is refused with the id and progress of the first. */
export async function createJob(db: Queryable, kind: JobKind, params: Job["params"], now: Date): Promise<Job> {
  const id = newJobId();
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
/** Scheduled jobs a process runs at once: a slow receiver holds up only its own slot. */
const MAX_IN_FLIGHT = 16;
const MAX_RETRY_DELAY_MS = 3_600_000;

/** While this process works on a job it says so; if it dies, the heartbeat stops and another process takes over. */
function heartbeat(db: Queryable, id: string): () => void {
  const timer = setInterval(() => void beatJob(db, id).catch(() => undefined), HEARTBEAT_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}

type PoolState = {
  again: boolean;
  /** Set by drain: run what is due, wait for what is under way, then stop (no waiting for retries). */
  draining: boolean;
  wake: () => void;
  abandon: AbortController;
  inFlight: Set<Promise<void>>;
  done: Promise<void>;
};

/** The queue's running half, over the runners of every kind. */
export function createJobQueue<D extends QueueDeps, O extends object>(runners: Record<JobKind, JobRunner<D, O> | ScheduledRunner<D>>) {
  const kinds = Object.keys(runners) as JobKind[];
  const startedKinds = kinds.filter((k) => !isScheduled(runners[k]));
  const scheduledKinds = kinds.filter((k) => isScheduled(runners[k]));
  const scheduled = (kind: JobKind) => runners[kind] as ScheduledRunner<D>;

  /**
   * Runs a queued (or interrupted) job to its end. Runners store their work
   * item by item, so a run that dies leaves it consistent, and running the
   * job again carries on where it stopped.
   */
  async function runJob(deps: D, id: string, options = {} as O): Promise<Job> {
    const job = await getJob(deps.db, id);
    if (!job) throw new AppError("not_found", `没有这个任务：${id}`);
    if (job.status !== "queued" && job.status !== "running") return job;
    const runner = runners[job.kind];
    // A scheduled job runs when due, by the pool; asked for directly, it is left to it.
    if (isScheduled(runner)) return job;
    await startJobRun(deps.db, id, deps.clock.now());
    const stopBeating = heartbeat(deps.db, id);
    try {
      await runner(deps, job, options);
    } catch (err) {
      await failJob(deps, id, err as Error);
    } finally {
      stopBeating();
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
    // Scheduled jobs cut short are queued again for the pool, which any process runs.
    if (scheduledKinds.length && (await requeueStaleJobs(deps.db, scheduledKinds, staleAfterMs)) > 0) pool(deps).kick();
    const ids = await claimStaleJobs(deps.db, startedKinds, staleAfterMs);
    // Side by side: a claimed job waiting its turn would go stale and be claimed again elsewhere.
    return Promise.all(
      ids.map((id) => {
        deps.logger?.info("resuming an interrupted job", { job: id });
        return runJob(deps, id);
      }),
    );
  }

  /** One attempt at a claimed scheduled job, recorded as done, retried later, failed, or handed back. */
  async function attempt(deps: D, job: Job, abandon: AbortSignal): Promise<void> {
    const runner = scheduled(job.kind);
    const policy = runner.retry(deps);
    const last = job.attempts >= policy.maxAttempts;
    const stopBeating = heartbeat(deps.db, job.id);
    try {
      await runner.run(deps, job, { number: job.attempts, last, signal: abandon });
      await finishRunningJob(deps.db, job.id, deps.clock.now());
    } catch (err) {
      if (abandon.aborted) return await releaseJob(deps.db, job.id);
      const message = (err as Error).message;
      // The runner logged what failed: a receiver that keeps failing is not this process's error.
      if (last) return await failJobRow(deps.db, job.id, message, deps.clock.now());
      await retryJobLater(deps.db, job.id, message, Math.min(policy.baseMs * 2 ** (job.attempts - 1), MAX_RETRY_DELAY_MS));
    } finally {
      stopBeating();
    }
  }

  const pools = new WeakMap<Db, PoolState>();

  /**
   * Starts running scheduled jobs in the background if this process is not
   * already at it; keeps going while jobs are due, in flight or waiting for a
   * retry, with at most MAX_IN_FLIGHT in flight. Never awaited by whoever
   * queued them: a slow job costs its queuer nothing.
   */
  function kick(deps: D): void {
    const state = pools.get(deps.db);
    if (state) {
      // Newly queued jobs are claimed now, not when the loop's timer next fires.
      state.again = true;
      return state.wake();
    }
    let woken = () => {};
    const mine: PoolState = {
      again: false,
      draining: false,
      wake: () => woken(),
      abandon: new AbortController(),
      inFlight: new Set(),
      done: Promise.resolve(),
    };
    pools.set(deps.db, mine);
    const { inFlight } = mine;
    const loop = async () => {
      while (!mine.abandon.signal.aborted) {
        mine.again = false;
        // Asked each round: a kind may be switched on or off while the loop lives (tests do).
        const live = scheduledKinds.filter((k) => scheduled(k).enabled?.(deps) ?? true);
        if (live.length === 0) return;
        const room = MAX_IN_FLIGHT - inFlight.size;
        const claimed = room > 0 ? await claimDueJobs(deps.db, live, JOB_STALE_MS, room, deps.clock.now()) : [];
        for (const job of claimed) {
          const p = attempt(deps, job, mine.abandon.signal).catch((err) =>
            deps.logger?.error("job attempt could not be recorded", { job: job.id, message: (err as Error).message }),
          );
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
        if (claimed.length > 0 || mine.again) continue;
        const wakeUp = new Promise<void>((r) => (woken = r));
        if (mine.draining) {
          if (inFlight.size === 0) return;
          await Promise.race([wakeUp, ...inFlight]);
          continue;
        }
        const wait = await msUntilNextDueJob(deps.db, live);
        if (wait === null && inFlight.size === 0) return;
        // Wake for the next retry, when an attempt in flight ends (it may schedule one), or when asked to drain.
        const timer = new Promise((r) => setTimeout(r, Math.min(Math.max(wait ?? 5_000, 10), 5_000)).unref?.());
        await Promise.race([timer, wakeUp, ...inFlight]);
      }
    };
    mine.done = loop()
      .catch((err) => deps.logger?.error("job pool failed", { message: (err as Error).message }))
      // Attempts cut short still record their hand-back before the pool is done.
      .then(() => Promise.all(inFlight))
      .then(() => undefined)
      .finally(() => pools.delete(deps.db));
  }

  async function drain(deps: D, timeoutMs: number): Promise<boolean> {
    const state = pools.get(deps.db);
    if (!state) return true;
    state.draining = true;
    state.wake();
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([state.done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
    clearTimeout(timer);
    if (settled) return true;
    deps.logger?.warn("jobs still under way are handed back to a later run", { inFlight: state.inFlight.size });
    state.abandon.abort();
    await state.done;
    return false;
  }

  /** The pool of `deps`'s database, as the JobPool a process's services carry. */
  function pool(deps: D): JobPool {
    return { kick: () => kick(deps), drain: (timeoutMs) => drain(deps, timeoutMs) };
  }

  return { runJob, runInBackground, resumeJobs, pool };
}
