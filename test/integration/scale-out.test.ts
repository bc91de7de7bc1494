import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/access/keys.js";
import { type ServerProcess, startServerProcess as startServer } from "../../src/bench/server-process.js";
import type { Db } from "../../src/db/index.js";
import { openScratchPostgres } from "../../src/db/scratch.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const BASE_URL = process.env.TEST_DATABASE_URL;

/** The tiny load balancer of the test: each request goes to the next instance in turn. */
function roundRobin(targets: string[]): Promise<{ server: Server; url: string; sentTo: string[] }> {
  const sentTo: string[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "/", targets[next++ % targets.length]);
    sentTo.push(target.origin);
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sentTo })),
  );
}

describe.skipIf(!BASE_URL)("several Node processes on one PostgreSQL behind a round-robin", () => {
  let db: Db & { url: string };
  let secret = "";
  const servers: ServerProcess[] = [];
  let proxy: { server: Server; url: string; sentTo: string[] };

  beforeAll(async () => {
    db = await openScratchPostgres(BASE_URL!);
    await ingestPaths(await testDeps(db), [DEMO]);
    ({ secret } = await createApiKey(db, { tenant: "park", scopes: ["chat", "match"], ratePerMinute: 6, dailyQuota: 1000 }));
    for (let i = 0; i < 2; i++) servers.push(await startServer({ DATABASE_URL: db.url, RESPONSE_CACHE_SIZE: "0" }));
    proxy = await roundRobin(servers.map((s) => s.url));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await new Promise((r) => proxy?.server.close(r));
    await db?.close();
  });

  const chat = (body: unknown) =>
    fetch(`${proxy.url}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });

  it("continues a conversation on another instance with its history, and enforces one rate limit across instances", async () => {
    type Body = { sessionId: string; profile?: { revenue?: number; region?: string }; policies: Array<{ title: string }> };
    // The limit counts in minute windows: a test that would straddle a window's end starts in the next one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const first = await chat({ question: "我们在武汉，去年营收3000万，高新技术企业认定有什么奖励？", externalUserId: "wx-openid-9" });
    expect(first.status).toBe(200);
    const one = (await first.json()) as Body;
    expect(one.profile?.revenue).toBe(3000);
    const second = await chat({ question: "那申报条件呢？", sessionId: one.sessionId, externalUserId: "wx-openid-9" });
    expect(second.status).toBe(200);
    const two = (await second.json()) as Body;
    // The other instance read the conversation from the database: same session, the company's facts remembered.
    expect(two.sessionId).toBe(one.sessionId);
    expect(two.profile?.revenue).toBe(3000);
    expect(new Set(proxy.sentTo.slice(-2)).size).toBe(2);

    // The key allows 6 requests a minute in all (this test's 8), wherever they land.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await chat({ question: "专精特新企业奖励" })).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(new Set(proxy.sentTo).size).toBe(2);
  });
});

describe.skipIf(!BASE_URL)("cluster mode (WEB_CONCURRENCY)", () => {
  it("forks the asked number of workers sharing one port; the primary replaces a worker that dies", async () => {
    const db = await openScratchPostgres(BASE_URL!);
    const { url, log, stop } = await startServer({ DATABASE_URL: db.url, WEB_CONCURRENCY: "2" }, 2);
    try {
      const listening = () => (log().match(/worker \d+ listening on/g) ?? []).length;
      await expect.poll(listening, { timeout: 30_000, interval: 100 }).toBe(2);
      expect(log()).toContain("primary started 2 workers");
      const ports = new Set([...log().matchAll(/worker \d+ listening on http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]));
      expect(ports.size).toBe(1);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const pid = /"pid":(\d+)[^\n]*worker 1 listening|worker 1 listening[^\n]*"pid":(\d+)/.exec(log());
      const workerPid = Number(pid?.[1] ?? pid?.[2]);
      expect(workerPid).toBeGreaterThan(0);
      process.kill(workerPid, "SIGKILL");
      await expect.poll(listening, { timeout: 30_000, interval: 100 }).toBe(3);
      expect(log()).toContain("worker exited; starting another");
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await stop();
      await db.close();
    }
  });
});
