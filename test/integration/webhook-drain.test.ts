import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { saveCompany } from "../../src/companies/company-profiles.js";
import { drainDeliveries } from "../../src/companies/notify.js";
import { type Db, openDb } from "../../src/db/index.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { CompanyProfile } from "../../src/policies/profile.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as CompanyProfile[];
/** Held back from the library, to arrive as news. */
const NEWS = "cn-sme-tech-evaluation-2026.md";
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A receiver that answers each webhook only after `delayMs`. */
async function slowReceiver(delayMs: number): Promise<{ url: string; hits: () => number; server: Server }> {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => setTimeout(() => void (hits++, res.writeHead(200).end("ok")), delayMs));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits: () => hits, server };
}

const counts = async (db: Db) =>
  (await db.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM deliveries GROUP BY status")).rows.reduce<Record<string, number>>(
    (o, r) => ({ ...o, [r.status]: r.n }),
    {},
  );

async function library(dir: string) {
  for (const f of await readdir(DEMO)) if (/\.(md|txt|html|docx|pdf)$/.test(f) && f !== NEWS) await cp(join(DEMO, f), join(dir, f));
}

describe.each(testDatabases())("ingest waits for the webhooks it caused before closing ($name)", (database) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pm-drain-"));
    await library(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("drainDeliveries returns once every delivery under way is recorded as delivered", async () => {
    const receiver = await slowReceiver(800);
    const deps = await testDeps(await database.open(), { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_TIMEOUT_MS: "10000" });
    try {
      await ingestPaths(deps, [dir]);
      for (const [i, profile] of COMPANIES.entries()) await saveCompany(deps.db, "public", `member-${i}`, { profile }, FIXED_TODAY);
      expect((await createApp(deps).request("/v1/subscriptions", post({ url: receiver.url }))).status).toBe(201);
      expect((await ingestPaths(deps, [join(DEMO, NEWS)])).added).toBe(1);
      expect(await drainDeliveries(deps, 15_000)).toBe(true);
      const after = await counts(deps.db);
      expect(after.delivered).toBeGreaterThan(0);
      expect(after).toEqual({ delivered: after.delivered });
      expect(receiver.hits()).toBe(after.delivered);
    } finally {
      await deps.db.close();
      receiver.server.close();
    }
  }, 120_000);
});

describe("npm run ingest and webhooks", () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "pm-drain-cli-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("records the webhooks a run sends as delivered before it closes the database, even when the receiver is slow", async () => {
    const receiver = await slowReceiver(1_500);
    const dataDir = join(dir, "pglite");
    const lib = join(dir, "lib");
    try {
      await mkdir(lib);
      await library(lib);
      const deps = await testDeps(await openDb({ dataDir }), { WEBHOOK_ALLOW_PRIVATE: "true" });
      await ingestPaths(deps, [lib]);
      for (const [i, profile] of COMPANIES.entries()) await saveCompany(deps.db, "public", `member-${i}`, { profile }, FIXED_TODAY);
      expect((await createApp(deps).request("/v1/subscriptions", post({ url: receiver.url }))).status).toBe(201);
      await deps.db.close();

      const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/ingest.ts", join(DEMO, NEWS)], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir, LOG_LEVEL: "warn", WEBHOOK_ALLOW_PRIVATE: "true" },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
      });
      expect(run.code, run.out).toBe(0);
      expect(run.out).toMatch(/ingest: 1 added/);

      const db = await openDb({ dataDir });
      try {
        const after = await counts(db);
        expect(after.delivered, JSON.stringify(after)).toBeGreaterThan(0);
        expect(after).toEqual({ delivered: after.delivered });
        expect(receiver.hits()).toBe(after.delivered);
      } finally {
        await db.close();
      }
    } finally {
      receiver.server.close();
    }
    // Two ingests and a CLI start-up: slow on a busy 2-core machine.
  }, 180_000);
});
