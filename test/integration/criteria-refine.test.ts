import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPolicies } from "../../src/db/policy-store.js";
import { parseEnv } from "../../src/env.js";
import { ingestDocuments } from "../../src/ingest/ingest.js";
import { type ChatClient, createChatClient } from "../../src/llm/chat-model.js";
import { loadPrompts } from "../../src/llm/prompts.js";
import type { PolicyCriteria } from "../../src/policies/criteria.js";
import { refineCriteria } from "../../src/policies/criteria-refine.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";
import { type OpenAIServer, startOpenAIServer } from "../helpers/openai-server.js";

const PROMPTS = new URL("../../prompts/", import.meta.url).pathname;
const chatEnv = (url: string) => ({ CHAT_PROVIDER: "openai", CHAT_BASE_URL: url, CHAT_MODEL: "test-model", CHAT_TIMEOUT_MS: "3000", PROMPTS_DIR: PROMPTS });
const text = (id: string, t: string) => ({ id, text: t, mode: "all" as const, checks: [{ type: "text" as const }] });

const CRITERIA: PolicyCriteria = {
  common: [
    text("c1", "企业年度研究开发费用总额占同期销售收入总额的比例不低于3%"),
    text("c2", "须为已完成评价入库的科技型中小企业"),
    text("c3", "具有良好的发展前景和较强的市场竞争力"),
  ],
  programmes: [],
};

describe("criteria refined by a chat model over HTTP, verified against the text", () => {
  let llm: OpenAIServer;
  let chat: ChatClient;
  beforeAll(async () => {
    llm = await startOpenAIServer();
    chat = createChatClient(parseEnv({ ...chatEnv(llm.url), CHAT_REFINE_CRITERIA: "true" }), await loadPrompts(PROMPTS))!;
  });
  afterAll(() => llm?.close());

  it("accepts checks the condition's own words state and rejects invented ones", async () => {
    llm.setScript(() => ({
      json: {
        criteria: [
          { id: "c1", checks: [{ type: "threshold", metric: "rdRatio", op: ">=", value: 3, dimension: "ratio", subject: "研究开发费用占销售收入比例" }] },
          { id: "c2", checks: [{ type: "qualification", anyOf: ["科技型中小企业"] }] },
          // Not in the text: a revenue floor the model made up.
          { id: "c3", checks: [{ type: "threshold", metric: "revenue", op: ">=", value: 5000, dimension: "money", subject: "营业收入" }] },
          // Not a criterion it was given.
          { id: "c9", checks: [{ type: "credit" }] },
        ],
      },
    }));
    const refined = await refineCriteria(chat, CRITERIA, "某市研发补助办法", AbortSignal.timeout(3000));
    expect(refined).toMatchObject({ proposed: 4, accepted: 2 });
    const [c1, c2, c3] = refined.criteria.common;
    expect(c1).toMatchObject({ source: "llm", checks: [{ type: "threshold", metric: "rdRatio", value: 0.03 }] });
    expect(c2).toMatchObject({ source: "llm", checks: [{ type: "qualification", anyOf: ["科技型中小企业"] }] });
    expect(c3).toEqual(CRITERIA.common[2]);
    const request = llm.requests.at(-1)!;
    expect(request.body.tools?.[0]?.function?.name).toBe("structured_criteria");
    expect(JSON.stringify(request.body.messages)).toContain("c2：须为已完成评价入库的科技型中小企业");
  });

  it("rejects a threshold whose number matches but whose comparison contradicts the text", async () => {
    llm.setScript(() => ({
      json: { criteria: [{ id: "c1", checks: [{ type: "threshold", metric: "rdRatio", op: "<=", value: 3, dimension: "ratio", subject: "x" }] }] },
    }));
    const refined = await refineCriteria(chat, CRITERIA, "某市研发补助办法", AbortSignal.timeout(3000));
    expect(refined.accepted).toBe(0);
    expect(refined.criteria).toEqual(CRITERIA);
  });

  it("makes no call when the rules left nothing unstructured", async () => {
    const before = llm.requests.length;
    const structured: PolicyCriteria = { common: [{ id: "c1", text: "具有独立法人资格", mode: "all", checks: [{ type: "legalEntity" }] }], programmes: [] };
    expect((await refineCriteria(chat, structured, "t", AbortSignal.timeout(3000))).criteria).toEqual(structured);
    expect(llm.requests.length).toBe(before);
  });
});

describe.each(testDatabases())("ingest with criteria refinement ($name)", (database) => {
  const DOC = new TextEncoder().encode(
    "---\ntitle: 某市科技型企业研发补助办法\nregion: 湖北省武汉市\n---\n# 某市科技型企业研发补助办法\n\n一、申报条件\n（一）须为已完成评价入库的科技型中小企业；\n（二）具有良好的发展前景和较强的市场竞争力。\n\n二、支持标准\n给予最高20万元补助。\n",
  );

  it("keeps the rules' criteria and indexes the policy when the model fails", async () => {
    const llm = await startOpenAIServer(() => ({ status: 500 }));
    const deps = await testDeps(await database.open(), { ...chatEnv(llm.url), CHAT_REFINE_CRITERIA: "true" });
    try {
      const summary = await ingestDocuments(deps, [{ id: "refine-doc", name: "refine.md", bytes: DOC }]);
      expect(summary.failed).toBe(0);
      const [policy] = await getPolicies(deps.db, ["refine-doc"]);
      expect(policy.criteria.common.length).toBeGreaterThan(0);
      expect(policy.criteria.common.every((c) => c.source === undefined)).toBe(true);
    } finally {
      await llm.close();
      await deps.db.close();
    }
  });
});
