import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../../src/bench/server-process.js";
import type { Db } from "../../src/db/index.js";
import { setPolicyStatus } from "../../src/db/policy-store.js";
import { openScratchPostgres } from "../../src/db/scratch.js";
import type { Deps } from "../../src/deps.js";
import { ingestDocuments, ingestPaths } from "../../src/ingest/ingest.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const BASE_URL = process.env.TEST_DATABASE_URL;

/*
 * One process writes (this test's), another serves (a server process on the same PostgreSQL, holding
 * the library in memory): what the writer commits reaches the server's answers within a second, and
 * no answer is put together from half of a change.
 */

const ID = "test-pilot-platform";
const QUESTION = "中试平台建设补贴多少钱？";

/** Two versions of one policy: other sums, and the second one section longer (so other chunks, not only other text). */
function version(grant: string, extra: boolean): Uint8Array {
  return new TextEncoder().encode(
    `---\ntitle: 某区概念验证与中试平台建设补贴办法（测试）\nregion: 湖北省武汉市\n---\n# 某区概念验证与中试平台建设补贴办法（测试）\n\n` +
      `一、支持对象\n在本区注册的企业、高校院所建设的概念验证中心和中试平台。\n\n` +
      `二、支持标准\n对新建中试平台给予一次性建设补贴${grant}，用于中试设备购置和场地改造。\n\n` +
      (extra ? `三、运营补贴\n中试平台年度服务企业超过20家的，按服务合同金额的10%给予运营补贴，最高${grant}。\n\n` : "") +
      `${extra ? "四" : "三"}、申报方式\n通过区科技局网上申报系统提交申请。\n`,
  );
}
const VERSIONS = [
  { grant: "200万元", doc: version("200万元", false) },
  { grant: "350万元", doc: version("350万元", true) },
];

type Card = { id: string; support: string | null; conditions: string[]; citations: Array<{ quote: string }> };

describe.skipIf(!BASE_URL)("the library followed across processes on PostgreSQL", () => {
  let db: Db & { url: string };
  let writer: Deps;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await openScratchPostgres(BASE_URL!);
    writer = await testDeps(db);
    await ingestPaths(writer, [DEMO]);
    await ingestDocuments(writer, [{ id: ID, name: `${ID}.md`, bytes: VERSIONS[0].doc }]);
    server = await startServerProcess({ DATABASE_URL: db.url, RESPONSE_CACHE_SIZE: "0", LEXICAL_INDEX: "memory" });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  /** The server's card for the test policy, and which versions its text quotes. */
  const ask = async () => {
    const res = await fetch(`${server.url}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: QUESTION }),
    });
    const status = res.status;
    const body = (await res.json()) as { policies?: Card[] };
    const card = body.policies?.find((p) => p.id === ID);
    const text = card ? [card.support ?? "", ...card.conditions, ...card.citations.map((c) => c.quote)].join("\n") : "";
    return { status, card, quotes: VERSIONS.filter((v) => text.includes(v.grant)).map((v) => v.grant) };
  };

  /** The server's library figures from /metrics. */
  const library = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = (name: string) =>
      Number(
        text.match(new RegExp(`^policy_match_library_${name} (\\S+)$`, "m"))?.[1] ?? text.match(new RegExp(`^policy_match_lexical_${name} (\\S+)$`, "m"))?.[1],
      );
    return {
      generation: value("generation"),
      loads: value("loads"),
      deltas: value("deltas"),
      snapshot: value("snapshot_searches"),
      fallbacks: value("sql_fallbacks"),
    };
  };

  it("answers from a change another process committed within a second, a re-index and a withdrawal alike", async () => {
    expect((await ask()).quotes).toEqual(["200万元"]);
    const before = await library();
    expect(before.loads).toBe(1);
    for (const v of [VERSIONS[1], VERSIONS[0], VERSIONS[1]]) {
      await ingestDocuments(writer, [{ id: ID, name: `${ID}.md`, bytes: v.doc }]);
      await expect.poll(async () => (await ask()).quotes, { timeout: 1000, interval: 25 }).toEqual([v.grant]);
    }
    expect(await setPolicyStatus(writer.db, ID, "withdrawn")).toBe(true);
    await expect.poll(async () => (await ask()).card, { timeout: 1000, interval: 25 }).toBeUndefined();
    expect(await setPolicyStatus(writer.db, ID, "active")).toBe(true);
    await expect.poll(async () => (await ask()).quotes, { timeout: 1000, interval: 25 }).toEqual(["350万元"]);
    // Each change was applied to the snapshot the server held (it loaded the library once, at start), and the snapshot answered.
    const after = await library();
    expect(after).toMatchObject({ loads: 1, fallbacks: 0, generation: before.generation + 5 });
    expect(after.deltas).toBeGreaterThanOrEqual(5);
    expect(after.snapshot).toBeGreaterThan(before.snapshot);
  });

  it("never answers from half of a change while another process re-indexes the policy again and again", async () => {
    const seen = new Map<string, number>();
    const problems: string[] = [];
    let writing = true;
    const client = async () => {
      while (writing) {
        const { status, card, quotes } = await ask();
        if (status !== 200) problems.push(`HTTP ${status}`);
        if (!card) continue;
        if (quotes.length !== 1) problems.push(`an answer quoting ${quotes.length} versions`);
        else seen.set(quotes[0], (seen.get(quotes[0]) ?? 0) + 1);
      }
    };
    const clients = [client(), client(), client()];
    for (let round = 0; round < 12; round++) {
      await ingestDocuments(writer, [{ id: ID, name: `${ID}.md`, bytes: VERSIONS[round % 2].doc }]);
      // Long enough for some answers to come from each version.
      await expect.poll(async () => (await ask()).quotes, { timeout: 1000, interval: 10 }).toEqual([VERSIONS[round % 2].grant]);
    }
    writing = false;
    await Promise.all(clients);
    expect(problems).toEqual([]);
    expect(seen.get("200万元")).toBeGreaterThan(0);
    expect(seen.get("350万元")).toBeGreaterThan(0);
    // Answered from snapshots caught up change by change: no reload, no search left to SQL.
    expect(await library()).toMatchObject({ loads: 1, fallbacks: 0 });
  }, 60_000);
});
