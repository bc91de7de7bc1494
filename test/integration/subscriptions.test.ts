import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendFile, cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { saveCompany } from "../../src/companies/company-profiles.js";
import { matchesFor } from "../../src/companies/matching.js";
import { getPolicies } from "../../src/db/policy-store.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { CompanyProfile } from "../../src/policies/profile.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as CompanyProfile[];
/** Policies held back from the library, to arrive later as news. */
const NEWS = ["cn-rd-super-deduction-2026.md", "cn-sme-tech-evaluation-2026.md", "dh-compute-voucher-ai-2026.md"];
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

type Received = { headers: IncomingMessage["headers"]; body: string };
type Receiver = { url: string; received: Received[]; handle: (req: IncomingMessage, res: ServerResponse, n: number) => void; server: Server };

async function startReceiver(): Promise<Receiver> {
  const r = { received: [] as Received[], handle: (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200).end("ok") } as unknown as Receiver;
  r.server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    r.handle(req, res, r.received.length);
  });
  await new Promise<void>((ok) => r.server.listen(0, "127.0.0.1", ok));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook`;
  return r;
}

describe.each(testDatabases())("subscriptions: new matching policies pushed to companies ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let library: string;
  let news: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    library = await mkdtemp(join(tmpdir(), "pm-subs-lib-"));
    news = await mkdtemp(join(tmpdir(), "pm-subs-news-"));
    for (const f of await readdir(DEMO)) if (/\.(md|txt|html|docx|pdf)$/.test(f)) await cp(join(DEMO, f), join(NEWS.includes(f) ? news : library, f));
    deps = await testDeps(await database.open(), { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_BASE_MS: "40", WEBHOOK_TIMEOUT_MS: "10000" });
    await ingestPaths(deps, [library]);
    for (const [i, profile] of COMPANIES.entries()) await saveCompany(deps.db, "public", `member-${i}`, { profile }, FIXED_TODAY);
    app = createApp(deps);
  });
  afterAll(async () => {
    // Pending deliveries to the hanging receiver are dropped with the subscriptions before the database closes.
    await deps?.db.query("DELETE FROM subscriptions");
    await deps?.db.close();
    for (const r of receivers) r.server.closeAllConnections(), r.server.close();
    await rm(library, { recursive: true, force: true });
    await rm(news, { recursive: true, force: true });
  });

  const subscribe = async (body: { url?: string; externalId?: string }) => {
    const res = await app.request("/v1/subscriptions", post(body));
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; secret: string };
  };
  const expectedFor = async (policyId: string) => {
    const [policy] = await getPolicies(deps.db, [policyId]);
    return COMPANIES.flatMap((profile, i) => matchesFor([policy], profile, "2026-11-23").map((m) => ({ company: `member-${i}`, verdict: m.verdict })));
  };

  /** A subscription's deliveries whose job is still queued or running: none left means nothing more will reach its receiver. */
  const unsettled = async (subscriptionId: string) =>
    (
      await deps.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries d JOIN jobs j ON j.id = d.job_id WHERE d.subscription_id = $1 AND j.status IN ('queued', 'running')",
        [subscriptionId],
      )
    ).rows[0].n;
  const deliveryRows = async (subscriptionId: string) =>
    (await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1", [subscriptionId])).rows[0].n;

  it("sends one signed webhook per newly matching company when a policy arrives, and nothing when it is indexed again", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const sub = await subscribe({ url: receiver.url });
    const summary = await ingestPaths(deps, [join(news, NEWS[0])]);
    expect(summary.added).toBe(1);
    const expected = await expectedFor(summary.files[0].id);
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(expected.length);
    await expect.poll(() => unsettled(sub.id), { timeout: 10_000 }).toBe(0);
    expect(await deliveryRows(sub.id)).toBe(expected.length);
    expect(receiver.received.length).toBe(expected.length);

    const bodies = receiver.received.map((r) => {
      // The signature is HMAC-SHA256 over "<t>.<body>" with the subscription's secret.
      const [, t, v1] = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(String(r.headers["x-policy-match-signature"]))!;
      expect(createHmac("sha256", sub.secret).update(`${t}.${r.body}`).digest("hex")).toBe(v1);
      return JSON.parse(r.body) as { event: string; company: string; verdict: string; policy: { id: string; version: string }; checklist: unknown[] };
    });
    expect(bodies.map((b) => ({ company: b.company, verdict: b.verdict })).sort((a, b) => a.company.localeCompare(b.company))).toEqual(
      expected.sort((a, b) => a.company.localeCompare(b.company)),
    );
    expect(bodies.every((b) => b.event === "policy.matched" && b.policy.id === summary.files[0].id && b.checklist.length > 0)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers["x-policy-match-delivery"])).size).toBe(expected.length);

    // The same policy again, even forced through a re-index, is not news.
    expect((await ingestPaths(deps, [join(news, NEWS[0])])).unchanged).toBe(1);
    expect((await ingestPaths(deps, [join(news, NEWS[0])], { force: true })).updated).toBe(1);
    // Deliveries are queued within the ingest call: no new row and none due means nothing more is sent.
    expect(await deliveryRows(sub.id)).toBe(expected.length);
    expect(await unsettled(sub.id)).toBe(0);
    expect(receiver.received.length).toBe(expected.length);
    await app.request(`/v1/subscriptions/${sub.id}`, { method: "DELETE" });
  });

  it("retries a receiver that fails three times and delivers once; the company can also poll", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.handle = (_req, res, n) => void res.writeHead(n <= 3 ? 500 : 200).end();
    const summary = await ingestPaths(deps, [join(news, NEWS[1])]);
    // Subscribed after the policy arrived: nothing for it. The next policy is news.
    const target = (await expectedFor(summary.files[0].id))[0]?.company ?? "member-0";
    const sub = await subscribe({ url: receiver.url, externalId: target });
    const next = await ingestPaths(deps, [join(news, NEWS[2])]);
    const expected = (await expectedFor(next.files[0].id)).filter((e) => e.company === target);
    expect(expected.length).toBe(1);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    await expect.poll(() => unsettled(sub.id), { timeout: 10_000 }).toBe(0);
    expect(receiver.received.length).toBe(4);
    expect(new Set(receiver.received.map((r) => r.headers["x-policy-match-delivery"])).size).toBe(1);
    const log = (await (await app.request(`/v1/subscriptions/${sub.id}/deliveries`)).json()) as {
      items: Array<{ status: string; attempts: number; lastStatus: number }>;
    };
    expect(log.items).toEqual([expect.objectContaining({ status: "delivered", attempts: 4, lastStatus: 200 })]);

    const polled = (await (await app.request(`/v1/companies/${target}/notifications`)).json()) as { items: Array<{ id: number; policy: { id: string } }> };
    expect(polled.items.map((n) => n.policy.id)).toContain(next.files[0].id);
    const after = (await (await app.request(`/v1/companies/${target}/notifications?after=${polled.items.at(-1)!.id}`)).json()) as { items: unknown[] };
    expect(after.items).toEqual([]);
    await app.request(`/v1/subscriptions/${sub.id}`, { method: "DELETE" });
  });

  it("does not slow ingest when the receiver never answers, and refuses webhooks into private networks unless allowed", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.handle = () => undefined;
    await subscribe({ url: receiver.url });
    // A new version of a policy every company can be judged against.
    const file = join(news, NEWS[0]);
    await appendFile(file, "\n\n附：本通知自发布之日起施行。\n");
    const started = Date.now();
    const summary = await ingestPaths(deps, [file]);
    expect(summary.updated).toBe(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect.poll(() => receiver.received.length, { timeout: 5_000 }).toBeGreaterThan(0);

    const saved = deps.webhooks!;
    deps.webhooks = { ...saved, allowPrivate: false };
    try {
      for (const url of [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.1.2.3/x",
        "http://192.168.1.1/x",
        "http://[::1]/x",
        "ftp://example.com/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data",
        "http://100.64.0.1/x",
      ]) {
        expect((await app.request("/v1/subscriptions", post({ url }))).status, url).toBe(400);
      }
    } finally {
      deps.webhooks = saved;
    }
    expect((await app.request("/v1/subscriptions", post({ externalId: "no-such-company" }))).status).toBe(404);
  });

  it("refuses NAT64, IPv4-compatible, multicast, reserved and benchmarking addresses, and names that resolve inside, when subscribing", async () => {
    const saved = deps.webhooks!;
    deps.webhooks = { ...saved, allowPrivate: false, resolve: async (host) => (host === "intranet.park-a.example.cn" ? ["10.0.0.7"] : ["8.8.8.8"]) };
    try {
      for (const url of [
        "http://[64:ff9b::7f00:1]/x",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://[::7f00:1]/x",
        "http://[::ffff:0:7f00:1]/x",
        "http://224.0.0.251/x",
        "http://[ff02::1]/x",
        "http://240.0.0.1/x",
        "http://198.18.0.1/x",
        "http://192.0.2.1/x",
        "http://intranet.park-a.example.cn/x",
      ]) {
        const res = await app.request("/v1/subscriptions", post({ url }));
        expect(res.status, url).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message, url).toMatch(/^url: /);
      }
    } finally {
      deps.webhooks = saved;
    }
  });

  it("checks the address it dials: a name that answered public when subscribed and loopback when connecting is refused, and the log names no address", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const saved = deps.webhooks!;
    // DNS rebinding: the first answer (the subscription's check) is public, every later one points at this machine.
    const asked: string[] = [];
    const resolve = async (host: string) => (asked.push(host), asked.length === 1 ? ["93.184.216.34"] : ["127.0.0.1"]);
    deps.webhooks = { ...saved, allowPrivate: false, maxAttempts: 1, resolve };
    try {
      const sub = await subscribe({ url: `http://hooks.park-a.example.cn:${new URL(receiver.url).port}/policy-match` });
      expect(asked).toEqual(["hooks.park-a.example.cn"]);
      await appendFile(join(news, NEWS[1]), "\n\n附：本通知由科技部门负责解释。\n");
      expect((await ingestPaths(deps, [join(news, NEWS[1])])).updated).toBe(1);
      type Log = { items: Array<{ status: string; lastError: string | null; attempts: number; lastStatus: number | null }> };
      let log: Log = { items: [] };
      await expect
        .poll(
          async () =>
            (log = (await (await app.request(`/v1/subscriptions/${sub.id}/deliveries`)).json()) as Log).items.length > 0 &&
            log.items.every((d) => d.status === "failed"),
          { timeout: 10_000 },
        )
        .toBe(true);
      // Never sent: the receiver behind 127.0.0.1 saw nothing; no HTTP status, one attempt, and a reason that names no address.
      expect(receiver.received).toEqual([]);
      expect(asked.length).toBeGreaterThan(1);
      expect(log.items.every((d) => d.lastError === "refused: the address is on a private network" && d.lastStatus === null && d.attempts === 1)).toBe(true);
    } finally {
      deps.webhooks = saved;
    }
  });
});
