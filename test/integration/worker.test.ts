import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "../../src/access/keys.js";
import { openDb } from "../../src/db/index.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDeps } from "../helpers/deps.js";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as Array<Record<string, unknown>>;
const BASE_URL = process.env.TEST_DATABASE_URL;
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

/** wrangler, offline and quiet, with its config and logs in a folder of the test's own. */
function wrangler(args: string[], home: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(WRANGLER, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      XDG_CONFIG_HOME: home,
      CI: "true",
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_LOG_PATH: join(home, "logs"),
      ...env,
    },
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe("Cloudflare Workers build", () => {
  let home: string;
  beforeAll(async () => (home = await mkdtemp(join(tmpdir(), "pm-wrangler-"))));
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("bundles the worker with wrangler deploy --dry-run", async () => {
    const out = join(home, "dist");
    const child = wrangler(["deploy", "--dry-run", "--outdir", out], home);
    let log = "";
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    const code = await new Promise((r) => child.on("close", r));
    expect(code, log).toBe(0);
    expect(log).toContain("env.HYPERDRIVE");
    const files = await readdir(out);
    expect(files).toContain("worker.js");
    expect(files.some((f) => f.endsWith("jieba_rs_wasm_bg.wasm"))).toBe(true);
    expect(files.some((f) => f.endsWith("answer.md"))).toBe(true);
    expect((await stat(join(out, "worker.js"))).size).toBeGreaterThan(100_000);
  });
});

const EMBEDDINGS = [
  { name: "an OpenAI-compatible embeddings endpoint", remote: true },
  { name: "the local embedder (jieba's idf table bundled)", remote: false },
];

describe.skipIf(!BASE_URL).each(EMBEDDINGS)("the worker under wrangler dev, on the local PostgreSQL through Hyperdrive, with $name", ({ remote }) => {
  const database = `pm_worker_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  let home: string;
  let llm: OpenAIServer;
  let dev: ChildProcess | undefined;
  let url = "";
  let log = "";
  let secret = "";

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "pm-wrangler-dev-"));
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const u = new URL(BASE_URL!);
    u.pathname = `/${database}`;
    // Hyperdrive insists on a password; the test server's trust auth ignores it.
    if (!u.password) u.password = "postgres";
    // The library is indexed from Node, as in a real deployment, with the embeddings the worker will query.
    llm = await startOpenAIServer();
    const embeddings: Record<string, string> = remote
      ? { EMBEDDING_PROVIDER: "openai", EMBEDDING_BASE_URL: llm.url, EMBEDDING_MODEL: "test-embed", EMBEDDING_DIMENSIONS: "16" }
      : { EMBEDDING_PROVIDER: "local" };
    const db = await openDb({ databaseUrl: u.toString(), dataDir: "" });
    try {
      expect((await ingestPaths(await testDeps(db, embeddings), [DEMO])).failed).toBe(0);
      // A worker is never open: its keys are made from Node.
      secret = (await createApiKey(db, { tenant: "edge", scopes: ["chat", "match", "admin"], ratePerMinute: 100, dailyQuota: 1000 })).secret;
    } finally {
      await db.close();
    }
    const port = await freePort();
    // info: the worker logs the one build of its isolate, which a test counts.
    const vars = Object.entries({ ...embeddings, LOG_LEVEL: "info" }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
    dev = wrangler(["dev", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", ...vars], home, {
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: u.toString(),
    });
    dev.stdout!.on("data", (d) => (log += d));
    dev.stderr!.on("data", (d) => (log += d));
    // In a hook, where expect.poll is not allowed: vi.waitFor retries the same assertion.
    await vi.waitFor(() => expect(log).toMatch(/Ready on http/), { timeout: 60_000, interval: 100 });
    url = `http://127.0.0.1:${port}`;
  }, 180_000);

  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      dev.kill("SIGTERM");
      await new Promise((r) => dev!.once("exit", r));
    }
    await llm?.close();
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await rm(home, { recursive: true, force: true });
  });

  it("asks a question and gets policies back, with the question embedded by the configured model", async () => {
    const question = "我们是武汉的企业，去年营收3000万，高新技术企业认定有什么奖励？";
    const before = llm.requests.length;
    expect(
      (await fetch(`${url}/v1/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).status,
    ).toBe(401);
    const res = await fetch(`${url}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ question }),
    });
    const body = (await res.json()) as { answer: string; policies: Array<{ title: string; eligibility?: { verdict: string; checklist: unknown[] } }> };
    expect(res.status, log).toBe(200);
    expect(body.policies[0].title).toMatch(/高新技术企业/);
    // The criteria checklist, checked against the facts in the question.
    expect(body.policies[0].eligibility?.checklist.length).toBeGreaterThan(0);
    expect(body.answer).toMatch(/\[\d+\]/);
    expect(llm.requests.slice(before).some((r) => r.path.endsWith("/embeddings") && JSON.stringify(r.body.input).includes("高新技术企业"))).toBe(remote);
    // Questions are embedded with the model the library was indexed with.
    const health = (await (await fetch(`${url}/health`)).json()) as { embeddingModel: string };
    expect(health.embeddingModel).toBe(remote ? "openai:test-embed" : "local-hash-v1-1024");
  });

  it("serves the widget from static assets and the API description", async () => {
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(await widget.text()).toContain("attachShadow");
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain("/v1/chat");
    // Jobs outlive their request, which a worker cannot: staff work stays on Node.
    const reindex = await fetch(`${url}/v1/admin/reindex`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: "{}",
    });
    expect(reindex.status).toBe(501);
  });

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify(body) });
  const chatRequests = async () => {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${secret}` } })).text();
    const line = text.split("\n").find((l) => l.startsWith('policy_match_http_requests_total{method="POST",route="/v1/chat",status="200"}'));
    return line ? Number(line.split(" ").pop()) : 0;
  };

  it("builds its services once per isolate: a repeated question is answered from the shared cache and metrics count every request", async () => {
    // wrangler dev rebuilds the isolate when its sources change; within one isolate nothing is built twice.
    const builds = () => log.match(/"msg":"isolate built"/g)?.length ?? 0;
    await expect.poll(builds).toBeGreaterThan(0);
    const built = builds();
    const before = await chatRequests();
    const question = { question: "北京的科技型中小企业做关键技术研发，有哪些资金支持？" };
    const first = await post("/v1/chat", question);
    expect(first.status, log).toBe(200);
    expect(first.headers.get("x-cache")).toBe("miss");
    const second = await post("/v1/chat", question);
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(await second.text()).toBe(await first.text());
    expect(await chatRequests()).toBe(before + 2);
    // These requests ran on the isolate already built (embedder, idf table, caches, app): none built another.
    expect(builds(), log).toBe(built);
  });

  it("serves concurrent requests, each on a connection of its own", async () => {
    const responses = await Promise.all(COMPANIES.map((profile) => post("/v1/match", { profile, filters: { includeIneligible: true }, limit: 50 })));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{ counts: Record<string, number> }>;
    expect(
      responses.map((r) => r.status),
      log,
    ).toEqual(COMPANIES.map(() => 200));
    for (const body of bodies) expect(Object.values(body.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(log).not.toMatch(/"level":"error"/);
  });
});
