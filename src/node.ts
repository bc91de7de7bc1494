import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { serve } from "@hono/node-server";
import { hasActiveKeys } from "./access/keys.js";
import { isLoopbackHost } from "./access/middleware.js";
import { reconcileEmbeddingModel } from "./admin/embedding-switch.js";
import { createApp } from "./app.js";
import { purgeOldBatches } from "./companies/batch.js";
import { pruneLibraryChanges } from "./db/library-log.js";
import { expirePastPolicies } from "./db/policy-store.js";
import { ensureVectorIndex, getActiveModel } from "./db/vector-store.js";
import { createDeps, type Deps } from "./deps.js";
import { ConfigError, type Env, parseEnv } from "./env.js";
import { ingestPaths } from "./ingest/ingest.js";
import { resumeJobs } from "./job-runners.js";
import { JOB_STALE_MS } from "./jobs/queue.js";
import { todayInChina } from "./lib/china-time.js";

/**
 * One process (WEB_CONCURRENCY=1, the default) does everything. With more,
 * the primary prepares the library and runs the background work (start-up
 * ingest, interrupted jobs, expiry) and forks that many workers, which share
 * the port and only serve; sessions, rate limits and jobs live in PostgreSQL,
 * so any worker answers any request.
 */
async function main() {
  const env = parseEnv(process.env);
  if (env.WEB_CONCURRENCY > 1 && !env.DATABASE_URL) {
    throw new ConfigError("Invalid configuration:\n  WEB_CONCURRENCY: more than one process needs DATABASE_URL (PGlite is one process's database)");
  }
  if (cluster.isWorker) {
    const deps = await createDeps(env);
    await deps.library?.refresh();
    return serveRequests(env, deps, `worker ${cluster.worker!.id}`);
  }

  if (!env.DATABASE_URL && env.DATA_DIR !== "memory://") await mkdir(env.DATA_DIR, { recursive: true });
  const deps = await createDeps(env);
  deps.logger.info("database ready", { database: deps.db.kind, dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR, embeddingModel: deps.embedder.modelName });
  await prepareLibrary(env, deps);
  // Loaded before the first request (the primary of a cluster serves none).
  if (env.WEB_CONCURRENCY === 1) await deps.library?.refresh();
  startBackgroundWork(deps);
  if (env.WEB_CONCURRENCY > 1) return superviseWorkers(env, deps);
  return serveRequests(env, deps);
}

async function prepareLibrary(env: Env, deps: Deps) {
  const { logger } = deps;
  if (env.INGEST_ON_START && env.DEMO_DATA_DIR && existsSync(env.DEMO_DATA_DIR)) {
    const summary = await ingestPaths(deps, [env.DEMO_DATA_DIR], { prune: true });
    logger.info("demo library indexed", {
      folder: env.DEMO_DATA_DIR,
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      removed: summary.removed,
      failed: summary.failed,
      ms: summary.ms,
    });
    for (const f of summary.failures) logger.warn("file skipped", f);
  }
  // The active model's HNSW index, whatever created the library (migration 007 rebuilt vector storage without it).
  const active = await getActiveModel(deps.db);
  if (active?.dims) await ensureVectorIndex(deps.db, active.model, active.dims, deps.db.kind === "postgres");
  if (!(await hasActiveKeys(deps.db))) {
    if (!isLoopbackHost(env.HOST)) {
      process.stderr.write(
        `No API key exists, so the API would be open to anyone who can reach ${env.HOST}. Create one first (npm run keys -- create --tenant <id> --scopes chat,match) or listen on 127.0.0.1.\n`,
      );
      await deps.db.close();
      process.exit(2);
    }
    logger.warn("no API key exists: the API is open, on localhost only, until one is created (npm run keys -- create …)");
  }
}

function startBackgroundWork(deps: Deps) {
  const { logger } = deps;
  // Policies pass their valid-until date while the server runs: retire them hourly.
  const expire = () =>
    expirePastPolicies(deps.db, todayInChina(deps.clock))
      .then((ids) => ids.length && logger.info("policies expired by date", { ids }))
      // Batch uploads hold companies' profiles: kept for a week after the job, then forgotten.
      .then(() => purgeOldBatches(deps.db, deps.clock.now()))
      .then(() => pruneLibraryChanges(deps.db))
      .catch((err) => logger.error("hourly clean-up failed", { message: (err as Error).message }));
  void expire();
  setInterval(expire, 3_600_000).unref();
  // A job that a previous process did not finish carries on where it stopped; a library
  // whose embedding model is no longer configured gets a job re-embedding it first.
  // Scheduled jobs (webhook deliveries) a previous process left queued, and retries that fall due.
  deps.jobs?.kick();
  setInterval(() => deps.jobs?.kick(), 30_000).unref();
  // PGlite belongs to this process alone, so everything left live is ours at once. On PostgreSQL another
  // process may be running a job: only jobs whose heartbeat stopped are taken, now and in a sweep.
  const staleAfter = deps.db.kind === "pglite" ? 0 : JOB_STALE_MS;
  const resume = () => resumeJobs(deps, staleAfter).catch((err) => logger.error("resuming jobs failed", { message: (err as Error).message }));
  void reconcileEmbeddingModel(deps)
    .catch((err) => logger.error("checking the embedding model failed", { message: (err as Error).message }))
    .then(resume);
  if (deps.db.kind === "postgres") setInterval(resume, 30_000).unref();
}

function serveRequests(env: Env, deps: Deps, role?: string) {
  const { logger } = deps;
  const server = serve({ fetch: createApp(deps).fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    logger.info(`policy-match ${role ? `${role} ` : ""}listening on http://${info.address}:${info.port}`, {
      docs: `http://${info.address}:${info.port}/docs`,
      pid: process.pid,
    });
  });
  const shutdown = async (signal: string) => {
    logger.info("shutting down", { signal, role });
    server.close();
    await deps.db.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

/** Forks the workers and replaces one that dies (not faster than once a second, so a crash loop does not spin). */
function superviseWorkers(env: Env, deps: Deps) {
  const { logger } = deps;
  let stopping = false;
  for (let i = 0; i < env.WEB_CONCURRENCY; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    logger.error("worker exited; starting another", { worker: worker.id, code, signal });
    setTimeout(() => cluster.fork(), 1_000).unref();
  });
  logger.info(`policy-match primary started ${env.WEB_CONCURRENCY} workers`, { pid: process.pid });
  const shutdown = async (signal: string) => {
    stopping = true;
    logger.info("shutting down", { signal, role: "primary" });
    for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => new Promise((r) => (w?.isDead() ? r(null) : w?.once("exit", r)))));
    await deps.db.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`policy-match failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
