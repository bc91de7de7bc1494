import { type AddressInfo, connect } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../src/access/keys.js";
import { declaredAccess } from "../../src/access/middleware.js";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { Logger } from "../../src/lib/logger.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const SITE = "https://www.wuhan-innovation.example.cn";
type ErrorBody = { error: { code: string; message: string; requestId: string } };
type Init = { key?: string; body?: unknown; origin?: string; method?: string; contentType?: string };

const call = (app: App, path: string, init: Init = {}) =>
  app.request(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": init.contentType ?? "application/json" }),
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string" || init.body instanceof Uint8Array
          ? (init.body as BodyInit)
          : JSON.stringify(init.body),
  });
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

/** A logger that keeps its lines, to show what the server said and why. */
function recordingLogger(lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: () => logger };
  return logger;
}

describe("every route declares who may call it", () => {
  it("has an authorize() or publicRoute() declaration on every method and path the app serves", async () => {
    const database = testDatabases()[0];
    const deps = await testDeps(await database.open());
    try {
      const app = createApp(deps);
      const byRoute = new Map<string, unknown[]>();
      for (const r of app.routes) {
        // Global middleware (app.use) is registered as ALL on a pattern; routes have a method.
        if (r.method === "ALL") continue;
        const key = `${r.method} ${r.path}`;
        byRoute.set(key, [...(byRoute.get(key) ?? []), r.handler]);
      }
      expect(byRoute.size).toBeGreaterThan(30);
      const undeclared = [...byRoute].filter(([, handlers]) => !handlers.some((h) => declaredAccess(h))).map(([k]) => k);
      expect(undeclared).toEqual([]);
      // Spot checks of what is declared.
      const access = (key: string) => byRoute.get(key)!.map(declaredAccess).find(Boolean);
      expect(access("POST /v1/chat")).toEqual({ scope: "chat", widget: true });
      expect(access("GET /v1/companies/:externalId")).toEqual({ scope: "match", widget: false });
      expect(access("GET /v1/admin/jobs")).toEqual({ scope: "admin", widget: false });
      expect(access("GET /health")).toBe("public");
    } finally {
      await deps.db.close();
    }
  });
});

describe.each(testDatabases())("security holes closed ($name)", (database) => {
  let deps: Deps;
  let app: App;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    deps = await testDeps(await database.open(), { RESPONSE_CACHE_SIZE: "100" });
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    const make = async (name: string, spec: Parameters<typeof createApiKey>[1]) => {
      keys[name] = (await createApiKey(deps.db, spec)).secret;
    };
    await make("a", { tenant: "tenant-a", scopes: ["chat", "match"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("b", { tenant: "tenant-b", scopes: ["chat", "match", "policies:read"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("admin", { tenant: "ops", scopes: ["admin"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("widget", { tenant: "tenant-a", kind: "widget", scopes: ["chat", "match"], allowedOrigins: [SITE], ratePerMinute: 1000, dailyQuota: 100000 });
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("never serves one tenant's cached answer to another tenant or to a widget key, and never caches a saved company's answer", async () => {
    const saved = await call(app, "/v1/companies/acme-001", {
      key: keys.a,
      method: "PUT",
      body: { profile: { name: "甲方光电", region: { city: "武汉市", district: "洪山区" }, revenue: 4321, qualifications: ["高新技术企业"] } },
    });
    expect([200, 201]).toContain(saved.status);
    const body = { question: "高新技术企业有什么奖励？", companyId: "acme-001" };
    const first = await call(app, "/v1/chat", { key: keys.a, body });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBeNull();
    expect(JSON.stringify(await first.json())).toContain("4321");
    // The same body from another tenant: its own 404, not A's answer with A's company in it.
    const other = await call(app, "/v1/chat", { key: keys.b, body });
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain("4321");
    // From a public widget key of the same tenant: refused, not served from the cache.
    const widget = await call(app, "/v1/chat", { key: keys.widget, origin: SITE, body });
    expect(widget.status).toBe(403);

    // A plain question is cached, but per tenant and kind of caller.
    const plain = { question: "研发费用补贴怎么申请？" };
    expect((await call(app, "/v1/chat", { key: keys.a, body: plain })).headers.get("x-cache")).toBe("miss");
    expect((await call(app, "/v1/chat", { key: keys.a, body: plain })).headers.get("x-cache")).toBe("hit");
    expect((await call(app, "/v1/chat", { key: keys.b, body: plain })).headers.get("x-cache")).toBe("miss");
    expect((await call(app, "/v1/chat", { key: keys.widget, origin: SITE, body: plain })).headers.get("x-cache")).toBe("miss");
    // No key at all: 401, whatever is in the cache.
    expect((await call(app, "/v1/chat", { body: plain })).status).toBe(401);
  });

  it("keeps a widget key out of the conversations a server key holds, whatever openid or sessionId it sends", async () => {
    const openid = "oWx-server-user-42";
    const server = await call(app, "/v1/chat", {
      key: keys.a,
      body: { question: "我们去年营收8765万元，研发投入占比6%，能申请什么？", externalUserId: openid },
    });
    expect(server.status).toBe(200);
    const { sessionId, profile } = (await server.json()) as { sessionId: string; profile: { revenue?: number } };
    expect(profile.revenue).toBe(8765);

    const byOpenid = await call(app, "/v1/chat", { key: keys.widget, origin: SITE, body: { question: "那我们还能申请什么？", externalUserId: openid } });
    expect(byOpenid.status).toBe(200);
    const seen = (await byOpenid.json()) as { sessionId: string; profile?: { revenue?: number } };
    expect(seen.sessionId).not.toBe(sessionId);
    expect(seen.profile?.revenue).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain("8765");

    const bySession = await call(app, "/v1/chat", { key: keys.widget, origin: SITE, body: { question: "继续", sessionId } });
    expect(bySession.status).toBe(404);
    // The server key's conversation is intact.
    const again = await call(app, "/v1/chat", { key: keys.a, body: { question: "继续说说", sessionId } });
    expect(((await again.json()) as { profile: { revenue?: number } }).profile.revenue).toBe(8765);
  });

  it("answers odd paths, queries and bodies with a 400 naming where, never a 500", async () => {
    for (const path of ["/v1/admin/jobs/%00", "/v1/admin/jobs/%00/cancel", "/v1/admin/policies/%00/versions", "/v1/match/batch/%00"]) {
      const method = path.endsWith("cancel") ? "POST" : "GET";
      const res = await call(app, path, { key: keys.admin, method });
      expect(res.status, path).not.toBeGreaterThanOrEqual(500);
      expect([400, 403], path).toContain(res.status);
    }
    const nulId = await call(app, "/v1/admin/jobs/%00", { key: keys.admin });
    expect(nulId.status).toBe(400);
    expect((await errorOf(nulId)).message).toMatch(/^path: .*NUL/);
    const badEscape = await call(app, "/v1/companies/%ED%A0%80", { key: keys.a });
    expect(badEscape.status).toBe(400);
    expect((await errorOf(badEscape)).message).toMatch(/^path: /);
    for (const path of ["/v1/companies/%00", "/v1/companies/%00/calendar", "/v1/subscriptions/%00/deliveries"]) {
      expect((await call(app, path, { key: keys.a })).status, path).toBe(400);
    }
    const query = await call(app, "/v1/policies?q=%00", { key: keys.b });
    expect(query.status).toBe(400);
    expect((await errorOf(query)).message).toMatch(/^query\.q: .*NUL/);

    // PUT, not only POST.
    const put = await call(app, "/v1/companies/x", { key: keys.a, method: "PUT", body: { profile: { name: "a\u0000b" } } });
    expect(put.status).toBe(400);
    expect((await errorOf(put)).message).toMatch(/^profile\.name: .*NUL/);
    const surrogate = await call(app, "/v1/companies/x", { key: keys.a, method: "PUT", body: `{"profile":{"name":"\\ud800"}}` });
    expect(surrogate.status).toBe(400);
    expect((await errorOf(surrogate)).message).toMatch(/^profile\.name: .*surrogate/);

    // 5,000 levels deep in an unknown profile key: refused, not a stack overflow on the way out.
    const deep = `{"profile":{"x":${"[".repeat(5000)}${"]".repeat(5000)}}}`;
    const nested = await call(app, "/v1/match", { key: keys.a, body: deep });
    expect(nested.status).toBe(400);
    expect((await errorOf(nested)).message).toMatch(/嵌套过深/);
    const manyKeys = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`extra${i}`, i]));
    const extra = await call(app, "/v1/match", { key: keys.a, body: { profile: { name: "甲", ...manyKeys } } });
    expect(extra.status).toBe(400);

    // A wrong content type is 415 in the error shape; JSON that is not UTF-8 is 400.
    const form = await call(app, "/v1/chat", { key: keys.a, body: "question=hi", contentType: "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    expect((await errorOf(form)).code).toBe("unsupported_media_type");
    const latin = new Uint8Array([...new TextEncoder().encode('{"question":"'), 0xc0, 0xff, ...new TextEncoder().encode('"}')]);
    const notUtf8 = await call(app, "/v1/chat", { key: keys.a, body: latin });
    expect(notUtf8.status).toBe(400);
    expect((await errorOf(notUtf8)).message).toMatch(/^body: .*UTF-8/);
  });

  it("answers a 5 MB body with a 413 that a client sending the whole body before reading receives", async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = Buffer.alloc(5 * 1024 * 1024, "a");
      // Like Python's urllib and requests: write everything, and only then read the answer.
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1");
        socket.pause();
        socket.on("error", reject);
        socket.write(
          `POST /v1/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${keys.a}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body, (err) => {
          if (err) return reject(err);
          let text = "";
          socket.on("data", (d) => (text += d.toString("latin1")));
          socket.on("end", () => resolve(text));
          socket.resume();
        });
      });
      expect(reply).toMatch(/^HTTP\/1\.1 413/);
      expect(reply).toContain("payload_too_large");
    } finally {
      server.close();
    }
  });
});

describe.each(testDatabases())("open mode is decided per request ($name)", (database) => {
  it("stays closed (401) and says why after the last key of a server on 0.0.0.0 is revoked", async () => {
    const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
    const base = await testDeps(await database.open());
    const deps: Deps = { ...base, listenHost: "0.0.0.0", logger: recordingLogger(lines) };
    try {
      const { key, secret } = await createApiKey(deps.db, { tenant: "only", scopes: ["admin"], ratePerMinute: 1000, dailyQuota: 100000 });
      const app = createApp(deps);
      expect((await call(app, "/v1/admin/jobs", { key: secret })).status).toBe(200);
      expect((await call(app, "/v1/admin/jobs")).status).toBe(401);
      await revokeApiKey(deps.db, key.id, FIXED_TODAY);
      // Key changes reach a running server within 5 s; after that, still closed to anyone without a key.
      await new Promise((r) => setTimeout(r, 5_200));
      const jobs = await call(app, "/v1/admin/jobs");
      expect(jobs.status).toBe(401);
      expect((await errorOf(jobs)).message).toMatch(/尚无任何 API key/);
      expect((await call(app, "/v1/admin/reindex", { body: {} })).status).toBe(401);
      expect((await call(app, "/v1/chat", { body: { question: "高企" } })).status).toBe(401);
      expect(lines.some((l) => l.level === "warn" && /no API key exists/.test(l.msg) && l.fields?.host === "0.0.0.0")).toBe(true);
      // Public routes stay public.
      expect((await call(app, "/health")).status).toBe(200);
    } finally {
      await deps.db.close();
    }
  }, 60_000);

  it("is open on loopback while no key exists (the embedded demo)", async () => {
    const deps = await testDeps(await database.open());
    try {
      expect(deps.listenHost).toBe("127.0.0.1");
      const app = createApp(deps);
      expect((await call(app, "/v1/admin/jobs")).status).toBe(200);
    } finally {
      await deps.db.close();
    }
  });
});
