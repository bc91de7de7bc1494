import { afterAll, beforeAll, expect } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { TestDatabase } from "./databases.js";
import { testDeps } from "./deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;

/**
 * The app on the demo library, for the describe block it is called in:
 * `ask` sends one chat turn, `conversation()` a user's turns one after another.
 */
export function demoChat<Body>(database: TestDatabase, users: string) {
  let deps: Deps;
  let app: App;
  let user = 0;
  beforeAll(async () => {
    deps = await testDeps(await database.open());
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  const ask = async (question: string, extra: Record<string, unknown> = {}): Promise<Body> => {
    const res = await app.request("/v1/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question, ...extra }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Body;
  };
  const conversation = () => {
    const externalUserId = `${users}-${++user}`;
    return (question: string) => ask(question, { externalUserId });
  };
  return { ask, conversation };
}
