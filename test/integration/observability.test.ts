import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/access/keys.js";
import { type App, createApp } from "../../src/app.js";
import { openDb } from "../../src/db/index.js";
import { createDeps, type Deps } from "../../src/deps.js";
import { parseEnv } from "../../src/env.js";
import { createLogger } from "../../src/lib/logger.js";
import { analyzer, FIXED_TODAY } from "../helpers/deps.js";

describe("request logs", () => {
  let deps: Deps;
  let app: App;
  const lines: Array<Record<string, unknown>> = [];
  let secret: string;

  beforeAll(async () => {
    const sink = new Writable({
      write: (chunk, _enc, done) => (
        lines.push(
          ...String(chunk)
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l)),
        ),
        done()
      ),
    });
    deps = await createDeps(parseEnv({ DATA_DIR: "memory://", RESPONSE_CACHE_SIZE: "0" }), {
      db: await openDb({ dataDir: "memory://" }),
      analyzer,
      logger: createLogger("info", sink),
      clock: { now: () => FIXED_TODAY },
    });
    secret = (await createApiKey(deps.db, { tenant: "acme", scopes: ["chat", "match", "policies:read"], ratePerMinute: 100, dailyQuota: 1000 })).secret;
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("logs one line per request with its id, route, status, tenant and key id, never the key or the question", async () => {
    const question = "我们公司的机密研发计划能申请补贴吗？";
    const res = await app.request("/v1/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-request-id": "req-test-1" },
      body: JSON.stringify({ question }),
    });
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.msg === "request" && l.requestId === "req-test-1");
    expect(line).toMatchObject({ level: "info", method: "POST", route: "/v1/chat", status: 200, tenant: "acme" });
    expect(String(line!.key)).toMatch(/^[a-z0-9]{12}$/);
    const all = JSON.stringify(lines);
    expect(all).not.toContain(secret.slice(16));
    expect(all).not.toContain("机密研发计划");
  });
});
