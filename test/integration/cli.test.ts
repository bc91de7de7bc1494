import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string>, until?: (out: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: ROOT,
      // The parent's DATABASE_URL must not leak in: these runs use their own PGlite folder.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
    });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (until?.(stderr)) child.kill("SIGTERM");
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("command-line tools and start-up", () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), "pm-cli-"))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses to listen beyond localhost while no API key exists, and says how to fix it", async () => {
    const r = await run(["src/node.ts"], { DATA_DIR: join(dir, "open"), HOST: "0.0.0.0", PORT: "0", INGEST_ON_START: "false" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No API key exists[\s\S]*npm run keys -- create/);
  });

  it("refuses several processes on PGlite, naming the variable", async () => {
    const r = await run(["src/node.ts"], { DATA_DIR: join(dir, "open"), PORT: "0", WEB_CONCURRENCY: "2", INGEST_ON_START: "false" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/WEB_CONCURRENCY: more than one process needs DATABASE_URL/);
  });

  it("runs open on localhost without keys and says so at start", async () => {
    const r = await run(["src/node.ts"], { DATA_DIR: join(dir, "open"), HOST: "127.0.0.1", PORT: "0", INGEST_ON_START: "false" }, (err) =>
      err.includes("listening"),
    );
    expect(r.stderr).toMatch(/no API key exists: the API is open, on localhost only/);
    expect(r.stderr).toMatch(/policy-match listening on http:\/\/127\.0\.0\.1:/);
  });

  it("ingests through the same re-index job as the admin API, and skips what is unchanged the second time", async () => {
    const env = { DATA_DIR: join(dir, "ingest"), LOG_LEVEL: "warn" };
    const first = await run(["scripts/ingest.ts", "data/policies/wh-gaoqi-reward-2026.md", "data/policies/wh-tech-insurance-2026.md"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/ingest: 2 added, 0 updated, 0 unchanged, 0 removed, 0 failed — \d+ ms \(pglite, job_\w+ done\)/);
    const second = await run(["scripts/ingest.ts", "data/policies/wh-gaoqi-reward-2026.md", "data/policies/wh-tech-insurance-2026.md"], env);
    expect(second.stdout).toMatch(/ingest: 0 added, 0 updated, 2 unchanged/);
  });

  it("creates a key whose secret is shown once, lists it without the secret, and revokes it", async () => {
    const env = { DATA_DIR: join(dir, "keys"), LOG_LEVEL: "warn" };
    const created = await run(["scripts/keys.ts", "create", "--tenant", "acme", "--scopes", "chat,match", "--name", "小程序后端"], env);
    expect(created.code).toBe(0);
    const secret = /pm_[a-z0-9]{12}_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    expect(secret).toBeDefined();
    const id = secret!.slice(3, 15);
    const listed = await run(["scripts/keys.ts", "list"], env);
    expect(listed.stdout).toContain(`${id}\tacme\tserver\tchat,match`);
    expect(listed.stdout).not.toContain(secret!.slice(16));
    const bad = await run(["scripts/keys.ts", "create", "--tenant", "acme", "--widget", "--scopes", "admin"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/allowedOrigins: a widget key needs the origins[\s\S]*scopes: a widget key is public/);
    expect((await run(["scripts/keys.ts", "revoke", id], env)).stdout).toContain(`revoked ${id}`);
    expect((await run(["scripts/keys.ts", "list"], env)).stdout).toMatch(/revoked 20\d\d-/);
  });
});
