import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../src/access/keys.js";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const SITE = "https://www.wuhan-innovation.example.cn";
type ErrorBody = { error: { code: string; message: string; requestId: string } };

/** Percent-encoding, with a lone surrogate sent as the invalid UTF-8 a careless client would send. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
};
const call = (app: App, path: string, init: { key?: string; body?: unknown; origin?: string; method?: string } = {}) =>
  app.request(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });

describe.each(testDatabases())("API keys, tenants, limits and CORS ($name)", (database) => {
  let deps: Deps;
  let app: App;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    app = createApp(deps);
    const make = async (name: string, spec: Parameters<typeof createApiKey>[1]) => {
      const { key, secret } = await createApiKey(deps.db, spec);
      keys[name] = secret;
      keys[`${name}:id`] = key.id;
    };
    await make("a", { tenant: "tenant-a", scopes: ["chat", "match"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("b", { tenant: "tenant-b", scopes: ["chat", "match", "policies:read"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("matchOnly", { tenant: "tenant-a", scopes: ["match"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("revoked", { tenant: "tenant-a", scopes: ["chat"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("limited", { tenant: "tenant-c", scopes: ["policies:read"], ratePerMinute: 100, dailyQuota: 100000 });
    await make("quota", { tenant: "tenant-c", scopes: ["policies:read"], ratePerMinute: 100, dailyQuota: 3 });
    await make("admin", { tenant: "ops", scopes: ["admin"], ratePerMinute: 1000, dailyQuota: 100000 });
    await make("widget", { tenant: "tenant-a", kind: "widget", scopes: ["chat", "match"], allowedOrigins: [SITE], ratePerMinute: 1000, dailyQuota: 100000 });
    await revokeApiKey(deps.db, keys["revoked:id"], FIXED_TODAY);
  });
  afterAll(() => deps?.db.close());

  it("answers 401 without a key once keys exist, naming how to send one", async () => {
    const res = await call(app, "/v1/chat", { body: { question: "高企奖励" } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toMatch(/Authorization: Bearer/);
    // Health and the API's documentation stay public.
    expect((await call(app, "/health")).status).toBe(200);
    expect((await call(app, "/openapi.json")).status).toBe(200);
  });

  it("answers 401 for a revoked, a malformed or an unknown key, without saying which", async () => {
    for (const key of [keys.revoked, "pm_nonsense", `${keys.a.slice(0, -4)}AAAA`, `pm_zzzzzzzzzzzz_${"A".repeat(43)}`]) {
      const res = await call(app, "/v1/chat", { key, body: { question: "高企奖励" } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.message).toBe("API key 无效或已吊销");
    }
  });

  it("answers 403 when the key lacks the route's scope, and 200 when it has it", async () => {
    expect((await call(app, "/v1/chat", { key: keys.matchOnly, body: { question: "高企奖励" } })).status).toBe(403);
    expect((await call(app, "/v1/policies", { key: keys.a })).status).toBe(403);
    expect((await call(app, "/v1/policies", { key: keys.b })).status).toBe(200);
    expect((await call(app, "/v1/match", { key: keys.matchOnly, body: { profile: { region: { city: "武汉市" } } } })).status).toBe(200);
    const res = await app.request("/v1/chat", {
      method: "POST",
      headers: { "x-api-key": keys.a, "content-type": "application/json" },
      body: JSON.stringify({ question: "高企奖励" }),
    });
    expect(res.status).toBe(200);
  });

  it("keeps tenants' conversations apart: another tenant's key cannot continue or even find a session", async () => {
    const first = (await (await call(app, "/v1/chat", { key: keys.a, body: { question: "武汉高企认定奖励", externalUserId: "openid-1" } })).json()) as {
      sessionId: string;
    };
    expect(first.sessionId).toMatch(/^s_/);
    const stolen = await call(app, "/v1/chat", { key: keys.b, body: { question: "那条件呢？", sessionId: first.sessionId } });
    expect(stolen.status).toBe(404);
    expect(((await stolen.json()) as ErrorBody).error.code).toBe("not_found");
    const sameUserElsewhere = (await (
      await call(app, "/v1/chat", { key: keys.b, body: { question: "武汉高企认定奖励", externalUserId: "openid-1" } })
    ).json()) as { sessionId: string };
    expect(sameUserElsewhere.sessionId).not.toBe(first.sessionId);
    const own = await call(app, "/v1/chat", { key: keys.a, body: { question: "那条件呢？", sessionId: first.sessionId } });
    expect(own.status).toBe(200);
  });

  it("refuses the 101st request in a minute on a 100/min key with 429, Retry-After and RateLimit headers", async () => {
    for (let i = 1; i <= 100; i++) {
      const res = await call(app, "/v1/policies?pageSize=1", { key: keys.limited });
      expect(res.status).toBe(200);
      if (i === 100) expect(res.headers.get("ratelimit-remaining")).toBe("0");
    }
    const res = await call(app, "/v1/policies?pageSize=1", { key: keys.limited });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(res.headers.get("ratelimit-limit")).toBe("100");
    expect(((await res.json()) as ErrorBody).error.code).toBe("rate_limited");
    // Another key is not affected.
    expect((await call(app, "/v1/policies?pageSize=1", { key: keys.b })).status).toBe(200);
  });

  it("refuses requests past the daily quota until the day ends", async () => {
    for (let i = 0; i < 3; i++) expect((await call(app, "/v1/policies?pageSize=1", { key: keys.quota })).status).toBe(200);
    const res = await call(app, "/v1/policies?pageSize=1", { key: keys.quota });
    expect(res.status).toBe(429);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/今日配额/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
  });

  it("lets a widget key work from its own site only, and answers CORS preflights for it", async () => {
    const ok = await call(app, "/v1/chat", { key: keys.widget, origin: SITE, body: { question: "武汉高企认定奖励" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
    const elsewhere = await call(app, "/v1/chat", { key: keys.widget, origin: "https://evil.example.com", body: { question: "武汉高企认定奖励" } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = (origin: string) =>
      app.request("/v1/chat", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    const good = await preflight(SITE);
    expect(good.status).toBe(204);
    expect(good.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(good.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect((await preflight("https://evil.example.com")).headers.get("access-control-allow-origin")).toBeNull();
    // A widget key is public: it never gets past chat and match.
    expect((await call(app, "/v1/policies", { key: keys.widget, origin: SITE })).status).toBe(403);
  });

  it("refuses a 2 MB body on a 1 MB limit with 413", async () => {
    const res = await call(app, "/v1/chat", { key: keys.a, body: { question: "高企".repeat(1_000_000) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("payload_too_large");
  });

  it("treats SQL metacharacters and Unicode oddities in every string field as plain text", async () => {
    const odd = ["'; DROP TABLE policies; --", '" OR 1=1 --', "%_\\", "\u0000\u0001", "\u202e高企\u202c", "😀🇨🇳", "高\u0301企", "\ud800"];
    for (const s of odd) {
      const list = await call(app, `/v1/policies?q=${enc(s)}&region=${enc(s)}`, { key: keys.b });
      expect([200, 400]).toContain(list.status);
      const one = await call(app, `/v1/policies/${enc(s)}`, { key: keys.b });
      expect([400, 404]).toContain(one.status);
      const chat = await call(app, "/v1/chat", {
        key: keys.a,
        body: {
          question: `高企${s}`,
          externalUserId: `u${s}`,
          filters: { region: s },
          profile: { name: s, region: { city: s }, industries: [s], qualifications: [s], facts: [s] },
        },
      });
      if (s.includes("\u0000") || s === "\ud800") {
        // PostgreSQL stores neither NUL nor half a surrogate pair: a clear 400 naming the first field, not a 500.
        expect(chat.status).toBe(400);
        expect(((await chat.json()) as ErrorBody).error.message).toMatch(s === "\ud800" ? /^question: .*surrogate/ : /^question: .*NUL/);
        continue;
      }
      expect(chat.status, `chat with ${JSON.stringify(s)}`).toBe(200);
      const session = await call(app, "/v1/chat", { key: keys.a, body: { question: "高企", sessionId: s || "x" } });
      expect([400, 404]).toContain(session.status);
      const match = await call(app, "/v1/match", { key: keys.a, body: { profile: { name: s, region: { district: s }, facts: [s] } } });
      expect(match.status, `match with ${JSON.stringify(s)}`).toBe(200);
    }
    const { rows } = await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM policies");
    expect(rows[0].n).toBeGreaterThan(20);
  });
});
