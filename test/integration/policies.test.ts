import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const corpus = (name: string) => new URL(`../fixtures/corpus/${name}`, import.meta.url).pathname;
// Response bodies are checked field by field by the assertions themselves.
const read = async (res: Response): Promise<any> => res.json();

describe.each(testDatabases())("the policy library's routes: /v1/policies, one policy, its candidates ($name)", (database) => {
  let deps: Deps;
  let app: App;

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    const summary = await ingestPaths(deps, [corpus("bj_021.md"), corpus("bj_024.md")]);
    expect(summary.failed).toBe(0);
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("lists the library with its total and the page asked for", async () => {
    const all = await read(await app.request("/v1/policies?pageSize=10"));
    expect(all.total).toBe(2);
    expect(all.items.map((p: { id: string }) => p.id).sort()).toEqual(["bj_021", "bj_024"]);
    const second = await read(await app.request("/v1/policies?pageSize=1&page=2"));
    expect(second).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe((await read(await app.request("/v1/policies?pageSize=1&page=1"))).items[0].id);
  });

  it("shows one policy with its criteria and a page of its chunks that says where the next starts", async () => {
    const whole = await read(await app.request("/v1/policies/bj_021"));
    expect(whole.criteria).toBeDefined();
    expect(whole.chunks).toHaveLength(Math.min(50, whole.chunkCount));
    const page = await read(await app.request("/v1/policies/bj_021?chunkOffset=1&chunkLimit=1"));
    expect(page.chunks).toHaveLength(1);
    expect(page.chunkPage).toEqual({ offset: 1, limit: 1, total: whole.chunkCount, nextOffset: whole.chunkCount > 2 ? 2 : null });
    expect(page.chunks[0]).toEqual(whole.chunks[1]);
  });

  it("answers 404 in the one error shape for a policy it does not hold, and for its candidates", async () => {
    for (const path of ["/v1/policies/no-such-policy", "/v1/policies/no-such-policy/candidates"]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect((await read(res)).error.code).toBe("not_found");
    }
  });

  it("names the parameter when a page is out of range", async () => {
    const res = await app.request("/v1/policies/bj_021?chunkLimit=201");
    expect(res.status).toBe(400);
    expect((await read(res)).error.message).toMatch(/chunkLimit/);
  });
});
