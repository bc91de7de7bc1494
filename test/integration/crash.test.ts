import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../src/db/index.js";
import { openScratchDb } from "../../src/db/scratch.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { resumeJobs } from "../../src/job-runners.js";
import { SHARED_CORPUS as CORPUS, sharedCorpusMissing } from "../helpers/corpus.js";
import { testDeps } from "../helpers/deps.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const KILL_AFTER = 60;

type Target = { name: string; env: Record<string, string>; open: () => Promise<Db>; cleanup: () => Promise<void> };

async function pgliteTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), "pm-crash-"));
  return { name: "pglite", env: { DATA_DIR: dir }, open: () => openDb({ dataDir: dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function postgresTarget(url: string): Promise<Target> {
  const schema = `crash_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("CREATE EXTENSION IF NOT EXISTS vector");
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema},public`);
  return {
    name: "postgres",
    env: { DATABASE_URL: u.toString() },
    open: () => openDb({ dataDir: "", databaseUrl: u.toString(), poolSize: 2 }),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Runs `npm run ingest` on the corpus and kills it (SIGKILL) once it has stored KILL_AFTER documents. */
function ingestAndKill(env: Record<string, string>): Promise<{ killedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/ingest.ts", CORPUS], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    });
    let out = "",
      killedAt = 0;
    child.stdout.on("data", (d) => {
      out += d;
      const n = Math.max(0, ...[...out.matchAll(/^\[(\d+)\/\d+\]/gm)].map((m) => Number(m[1])));
      if (!killedAt && n >= KILL_AFTER) {
        killedAt = n;
        child.kill("SIGKILL");
      }
    });
    child.on("close", (_code, signal) =>
      signal === "SIGKILL" ? resolve({ killedAt }) : reject(new Error(`ingest ended without being killed: ${out.slice(-500)}`)),
    );
  });
}

/** The library as content: policy ids, content hashes and every chunk's text. */
async function fingerprint(db: Db): Promise<string> {
  const { rows } = await db.query<{ id: string; content_hash: string; chunk_count: number; texts: string }>(
    `SELECT p.id, p.content_hash, p.chunk_count, coalesce(string_agg(c.text, '\u0001' ORDER BY c.position), '') AS texts
     FROM policies p LEFT JOIN chunks c ON c.policy_id = p.id GROUP BY p.id ORDER BY p.id`,
  );
  return createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

// The kill comes after 60 documents of the 220: a run long enough to be interrupted needs the whole corpus.
describe.skipIf(sharedCorpusMissing("killing a re-index mid-run"))("a re-index killed mid-run resumes to the same library as a clean run", () => {
  const targets: Target[] = [];
  afterAll(async () => {
    for (const t of targets) await t.cleanup();
  });

  const cases = [{ name: "pglite" }, ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres" }] : [])];
  it.each(cases)(
    "on $name",
    async ({ name }) => {
      const target = name === "pglite" ? await pgliteTarget() : await postgresTarget(process.env.TEST_DATABASE_URL!);
      targets.push(target);
      const { killedAt } = await ingestAndKill(target.env);
      expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER);

      const deps = await testDeps(await target.open());
      try {
        // Whatever the kill interrupted, no policy is half there: its row's chunk count is what its chunks are.
        const { rows: torn } = await deps.db.query<{ id: string }>(
          "SELECT p.id FROM policies p LEFT JOIN chunks c ON c.policy_id = p.id GROUP BY p.id, p.chunk_count HAVING count(c.id) <> p.chunk_count",
        );
        expect(torn).toEqual([]);
        const { rows: stored } = await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM policies");
        expect(stored[0].n).toBeGreaterThan(0);
        expect(stored[0].n).toBeLessThan(220);
        const { rows: jobs } = await deps.db.query<{ status: string }>("SELECT status FROM jobs");
        expect(jobs).toEqual([{ status: "running" }]);

        const [resumed] = await resumeJobs(deps);
        expect(resumed).toMatchObject({ status: "done", attempts: 2 });
        expect(resumed.counts.unchanged).toBe(stored[0].n);
        expect((resumed.counts.added ?? 0) + (resumed.counts.unchanged ?? 0) + (resumed.counts.failed ?? 0)).toBe(resumed.total);

        const clean = await testDeps(await openScratchDb(target.name === "postgres" ? process.env.TEST_DATABASE_URL : undefined));
        try {
          await ingestPaths(clean, [CORPUS]);
          expect(await fingerprint(deps.db)).toBe(await fingerprint(clean.db));
        } finally {
          await clean.db.close();
        }
      } finally {
        await deps.db.close();
      }
    },
    300_000,
  );
});
