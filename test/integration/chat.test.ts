import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
// Response bodies are checked field by field by the assertions themselves.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const read = async (res: Response): Promise<any> => res.json();
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.each(testDatabases())("/v1/chat on the demo library, and the routes read beside it ($name)", (database) => {
  let deps: Deps;
  let app: App;

  beforeAll(async () => {
    deps = await testDeps(await database.open(), { MAX_BODY_BYTES: "65536" });
    const summary = await ingestPaths(deps, [DEMO]);
    expect(summary.failed).toBe(0);
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("answers a 高企 question with relevant policies, conditions and citations", async () => {
    const res = await app.request("/v1/chat", json({ question: "我们是高新技术企业，研发投入很大，有什么补贴？" }));
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body.mode).toBe("extractive");
    expect(body.policies.length).toBeGreaterThan(0);
    const titles = body.policies.map((p: { title: string }) => p.title).join("|");
    expect(titles).toMatch(/高新技术企业|研发/);
    const withConditions = body.policies.find((p: { conditions: string[] }) => p.conditions.length > 0);
    expect(withConditions).toBeDefined();
    for (const p of body.policies) {
      expect(p.citations.length).toBeGreaterThan(0);
      for (const c of p.citations) expect(c.chunkId.startsWith(`${p.id}#`)).toBe(true);
    }
    // Every [n] in the answer refers to a citation that exists.
    const refs = new Set(body.policies.flatMap((p: { citations: Array<{ ref: number }> }) => p.citations.map((c) => c.ref)));
    for (const m of body.answer.matchAll(/\[(\d+)\]/g)) expect(refs.has(Number(m[1]))).toBe(true);
  });

  it("finds the policy behind an abbreviation (高企 → 高新技术企业)", async () => {
    const res = await app.request("/v1/chat", json({ question: "武汉高企认定有奖励吗" }));
    const body = await read(res);
    expect(body.policies[0].title).toContain("高新技术企业");
    expect(body.policies[0].region).toContain("武汉");
  });

  it.each([
    ["宁波市的海外高层次人才计划怎么申报？", "政策库中暂未收录宁波市的政策"],
    ["我们是上海的一家连锁烘焙店，想把门店的旧烤箱都换成节能烤箱，买设备有补贴吗？", "未在政策库中找到"],
  ])("says so plainly and returns no policy when the library has nothing for the place asked about: %s", async (question, said) => {
    const res = await app.request("/v1/chat", json({ question }));
    const body = await read(res);
    expect(res.status).toBe(200);
    expect(body.policies).toEqual([]);
    expect(body.answer).toContain(said);
  });

  it("rejects malformed JSON with 400 and the one error shape", async () => {
    const res = await app.request("/v1/chat", { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":' });
    expect(res.status).toBe(400);
    const body = await read(res);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(/JSON/);
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("names the field when the question is missing or a profile value is wrong", async () => {
    const missing = await read(await app.request("/v1/chat", json({})));
    expect(missing.error.message).toMatch(/question/);
    const bad = await app.request("/v1/chat", json({ question: "有什么补贴", profile: { revenue: -5 } }));
    expect(bad.status).toBe(400);
    expect((await read(bad)).error.message).toMatch(/profile\.revenue/);
  });

  it("refuses a body over the limit with 413", async () => {
    const res = await app.request("/v1/chat", json({ question: "补贴".repeat(40_000) }));
    expect(res.status).toBe(413);
    expect((await read(res)).error.code).toBe("payload_too_large");
  });

  it("lists policies page by page with filters, and shows one with its chunks", async () => {
    const page = await read(await app.request("/v1/policies?pageSize=5&page=1"));
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThanOrEqual(25);
    const page2 = await read(await app.request("/v1/policies?pageSize=5&page=2"));
    expect(page2.items[0].id).not.toBe(page.items[0].id);
    const wuhan = await read(await app.request(`/v1/policies?region=${encodeURIComponent("湖北省武汉市洪山区")}&pageSize=100`));
    expect(wuhan.items.length).toBeGreaterThan(0);
    for (const p of wuhan.items) expect(["湖北省", "武汉市", "洪山区"]).toEqual(expect.arrayContaining(p.regionPath));
    const one = await read(await app.request(`/v1/policies/${page.items[0].id}`));
    expect(one.chunks.length).toBe(one.chunkCount);
    const missing = await app.request("/v1/policies/no-such-policy");
    expect(missing.status).toBe(404);
    expect((await read(missing)).error.code).toBe("not_found");
  });

  it("serves health, the OpenAPI document and a docs page", async () => {
    const health = await read(await app.request("/health"));
    expect(health).toMatchObject({ status: "ok", database: database.name });
    expect(health.policies).toBeGreaterThanOrEqual(25);
    const spec = await read(await app.request("/openapi.json"));
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/v1/chat", "/v1/policies", "/v1/policies/{id}", "/health"]));
    expect((await app.request("/docs")).headers.get("content-type")).toMatch(/text\/html/);
  });
  it("streams the extractive answer as server-sent events: policies, tokens, citations, done", async () => {
    const res = await app.request("/v1/chat", {
      ...json({ question: "武汉高新技术企业认定奖励多少钱？" }),
      headers: { "content-type": "application/json", accept: "text/event-stream" },
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = (await res.text())
      .split("\n\n")
      .filter((b) => b.trim())
      .map((b) => ({
        event: /^event: (.*)$/m.exec(b)![1],
        data: JSON.parse(
          b
            .split("\n")
            .filter((l) => l.startsWith("data: "))
            .map((l) => l.slice(6))
            .join("\n"),
        ),
      }));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("policies");
    expect(names.slice(-2)).toEqual(["citations", "done"]);
    expect(names.slice(1, -2).every((n) => n === "token")).toBe(true);
    const done = events.at(-1)!.data;
    expect(done).toMatchObject({ mode: "extractive", degraded: false });
    expect(
      events
        .filter((e) => e.event === "token")
        .map((e) => e.data.text)
        .join(""),
    ).toBe(done.answer);
    expect(events[0].data.policies[0].title).toMatch(/高新技术企业/);
    expect(events.at(-2)!.data.citations.length).toBeGreaterThan(0);
  });

  it("keeps a conversation without a model: a short follow-up is searched with the previous question", async () => {
    const first = await read(
      await app.request("/v1/chat", json({ question: "我们在武汉，去年营收3000万元，科技保险保费补贴怎么申请？", externalUserId: "visitor-1" })),
    );
    expect(first.sessionId).toMatch(/^s_/);
    expect(first.policies[0].title).toMatch(/科技保险/);
    const res = await app.request("/v1/chat", json({ question: "那最高补贴多少呢？", sessionId: first.sessionId }));
    expect(res.headers.get("x-cache")).toBeNull();
    const second = await read(res);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.policies[0].title).toMatch(/科技保险/);
    expect(second.profile.revenue).toBe(3000);
    const alone = await read(await app.request("/v1/chat", json({ question: "那最高补贴多少呢？" })));
    expect(alone.policies[0]?.title ?? "").not.toMatch(/科技保险/);
  });
});
