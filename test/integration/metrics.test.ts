import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/access/keys.js";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const call = (app: App, path: string, key: string, body?: unknown) =>
  app.request(path, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe.each(testDatabases())("/metrics: Prometheus metrics for staff ($name)", (database) => {
  let deps: Deps;
  let app: App;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    app = createApp(deps);
    keys.a = (await createApiKey(deps.db, { tenant: "tenant-a", scopes: ["chat", "policies:read"], ratePerMinute: 2, dailyQuota: 100000 })).secret;
    keys.admin = (await createApiKey(deps.db, { tenant: "ops", scopes: ["admin"], ratePerMinute: 1000, dailyQuota: 100000 })).secret;
    // What the metrics count: a question answered, a list read, and a request past the key's rate.
    expect((await call(app, "/v1/chat", keys.a, { question: "高企奖励" })).status).toBe(200);
    expect((await call(app, "/v1/policies", keys.a)).status).toBe(200);
    expect((await call(app, "/v1/policies", keys.a)).status).toBe(429);
  });
  afterAll(() => deps?.db.close());

  it("serves Prometheus metrics to an admin key only, counting requests and rate-limit refusals", async () => {
    expect((await call(app, "/metrics", keys.a)).status).toBe(403);
    const res = await call(app, "/metrics", keys.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/policy_match_http_requests_total\{method="POST",route="\/v1\/chat",status="200"\} \d+/);
    expect(text).toMatch(/policy_match_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/v1\/policies"\} \d+/);
    expect(text).toMatch(/policy_match_rate_limited_total \d+/);
  });
});
