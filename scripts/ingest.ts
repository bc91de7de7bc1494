/**
 * Index policy files into the configured database (PGlite in DATA_DIR, or DATABASE_URL).
 *   npm run ingest -- <folder or files…> [--prune] [--force]
 *   npm run ingest -- --switch-embeddings [model]   (default: the NEXT_EMBEDDING_* model)
 * The same re-index job the admin API runs: one at a time per library, with
 * its progress in the jobs table. Unchanged files are skipped; changed files
 * replace their chunks atomically; with --prune, policies whose file
 * disappeared from a given folder are deleted.
 */
import { mkdir } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createEmbedJob } from "../src/admin/embedding-switch.js";
import { drainDeliveries } from "../src/companies/notify.js";
import { createDeps } from "../src/deps.js";
import { ConfigError, parseEnv } from "../src/env.js";
import { createReindexJob } from "../src/ingest/reindex-job.js";
import { runJob } from "../src/job-runners.js";
import { AppError } from "../src/lib/errors.js";

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      prune: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      "switch-embeddings": { type: "boolean", default: false },
    },
  });
  const switching = values["switch-embeddings"];
  if (positionals.length === 0 && !switching) {
    console.error("usage: npm run ingest -- <folder or files…> [--prune] [--force]\n       npm run ingest -- --switch-embeddings [model]");
    process.exit(2);
  }
  const env = parseEnv({ LOG_LEVEL: "warn", ...process.env });
  if (!env.DATABASE_URL && env.DATA_DIR !== "memory://") await mkdir(env.DATA_DIR, { recursive: true });
  const deps = await createDeps(env);
  // Webhooks for what this run changed are sent beside it: let those under way be recorded before the pool closes.
  const close = async () => {
    await drainDeliveries(deps, env.WEBHOOK_TIMEOUT_MS + 5_000);
    await deps.db.close();
  };
  const tty = process.stdout.isTTY;
  const started = Date.now();
  const create = switching
    ? createEmbedJob(deps, positionals[0], new Date())
    : createReindexJob(deps.db, { paths: positionals.map((p) => resolve(p)), prune: values.prune, ...(values.force ? { force: true } : {}) }, new Date());
  const created = await create.catch(async (err) => {
    await deps.db.close();
    throw err;
  });
  const job = await runJob(deps, created.id, {
    onProgress: (done, total, o) => {
      const line = `[${done}/${total}] ${o.status.padEnd(9)} ${relative(process.cwd(), o.file)}`;
      if (tty) process.stdout.write(`\r\x1b[K${line}${done === total ? "\n" : ""}`);
      else if (o.status !== "unchanged") console.log(line);
    },
  });
  const c = job.counts;
  if (switching) {
    console.log(
      `embeddings: ${(job.params as { model: string }).model}: ${c.embedded ?? 0} embedded, ${c.alreadyEmbedded ?? 0} already there, ${c.embeddingRetries ?? 0} retries — ${job.done}/${job.total} chunks (${job.id} ${job.status})`,
    );
    if (job.error) console.log(`  job failed: ${job.error}`);
    await close();
    process.exit(job.status === "done" ? 0 : 1);
  }
  console.log(
    `ingest: ${c.added ?? 0} added, ${c.updated ?? 0} updated, ${c.unchanged ?? 0} unchanged, ${c.removed ?? 0} removed, ${c.failed ?? 0} failed — ${Date.now() - started} ms (${deps.db.kind}, ${job.id} ${job.status})`,
  );
  for (const f of job.failures) console.log(`  failed: ${relative(process.cwd(), f.file)} — ${f.reason}: ${f.message}`);
  if (job.error) console.log(`  job failed: ${job.error}`);
  await close();
  process.exitCode = job.status !== "done" || (c.failed ?? 0) > 0 ? 1 : 0;
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof AppError ? err.message : `ingest failed: ${(err as Error).stack}`);
  process.exit(2);
}
