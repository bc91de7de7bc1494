/**
 * Index policy files into the configured database (PGlite in DATA_DIR, or DATABASE_URL).
 *   npm run ingest -- <folder or files…> [--prune]
 * Unchanged files are skipped; changed files replace their chunks atomically;
 * with --prune, policies whose file disappeared from a given folder are deleted.
 */
import { mkdir } from "node:fs/promises";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { createDeps } from "../src/deps.js";
import { ConfigError, parseEnv } from "../src/env.js";
import { ingestPaths } from "../src/ingest/ingest.js";

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { prune: { type: "boolean", default: false } } });
  if (positionals.length === 0) {
    console.error("usage: npm run ingest -- <folder or files…> [--prune]");
    process.exit(2);
  }
  const env = parseEnv({ LOG_LEVEL: "warn", ...process.env });
  if (!env.DATABASE_URL && env.DATA_DIR !== "memory://") await mkdir(env.DATA_DIR, { recursive: true });
  const deps = await createDeps(env);
  const tty = process.stdout.isTTY;
  const summary = await ingestPaths(deps, positionals, {
    prune: values.prune,
    onProgress: (done, total, o) => {
      const line = `[${done}/${total}] ${o.status.padEnd(9)} ${relative(process.cwd(), o.file)}`;
      if (tty) process.stdout.write(`\r\x1b[K${line}${done === total ? "\n" : ""}`);
      else if (o.status !== "unchanged") console.log(line);
    },
  });
  console.log(
    `ingest: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.removed} removed, ${summary.failed} failed — ${summary.ms} ms (${deps.db.kind})`,
  );
  for (const f of summary.failures) console.log(`  failed: ${relative(process.cwd(), f.file)} — ${f.reason}: ${f.message}`);
  await deps.db.close();
  process.exitCode = summary.failed > 0 ? 1 : 0;
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `ingest failed: ${(err as Error).stack}`);
  process.exit(2);
}
