import { describe, expect, it } from "vitest";
import { byWindow } from "../../src/answer/answer.js";
import { composeAnswer, type PolicyCard } from "../../src/answer/extractive.js";
import type { PolicyRecord } from "../../src/policies/policy.js";
import type { PolicyHit } from "../../src/retrieval/search.js";
import { testDatabases } from "../helpers/databases.js";
import { demoChat } from "../helpers/demo-chat.js";

type Card = { id: string; title: string; score: number; deadline: { state: string; applyEnd: string | null } | null };
type Body = { answer: string; plainText: string; policies: Card[]; intent: string; sessionId?: string };
/** The first sentence of an answer, citations and all. */
const firstSentence = (answer: string) => answer.split(/(?<=。)|\n/)[0];

describe.each(testDatabases())("answers that answer first ($name)", (database) => {
  const { ask, conversation } = demoChat<Body>(database, "u-answer-first");

  it("states the sum on offer in the first sentence of a first-turn amount question, cited", async () => {
    const body = await ask("武汉市科技保险保费补贴最多补多少？");
    expect(body.intent).toBe("amount");
    const first = firstSentence(body.answer);
    expect(first).toContain(`《${body.policies[0].title}》`);
    expect(first).toMatch(/\d+(?:\.\d+)?\s*(?:万元|%)/);
    expect(first).toMatch(/\[\d+\]/);
    expect(body.answer).not.toMatch(/^根据政策库检索/);
  });

  it("takes a follow-up that names a programme none of the answer's policies is as a new question", async () => {
    const say = conversation();
    const first = (await say("武汉市科技保险保费补贴最多补多少？")) as Body;
    expect(first.policies[0].id).toBe("wh-tech-insurance-2026");
    const next = (await say("想申报东湖高新区的概念验证中心，需要满足哪些条件？")) as Body;
    expect(next.policies[0].id).toBe("dh-proof-of-concept-2027");
    expect(firstSentence(next.answer)).toContain("概念验证");
    // A follow-up that names nothing new is still about the table.
    const after = (await say("什么时候截止？")) as Body;
    expect(after.policies[0].id).toBe("dh-proof-of-concept-2027");
  });

  it("lists a covered place's policies when they are asked for as a whole, and still finds nothing for a topic or a place it lacks", async () => {
    for (const question of ["武汉有哪些补贴？", "我们是北京海淀的一家做芯片设计的公司，成立三年，能申请哪些补贴？"]) {
      const body = await ask(question);
      expect(body.policies.length).toBeGreaterThanOrEqual(2);
      // The demo library's ids start with their place: none from another city.
      for (const p of body.policies) expect(p.id).not.toMatch(/^(?:sz|sh)-/);
      expect(body.answer).toMatch(/\d+(?:\.\d+)?\s*(?:万元|%)/);
    }
    const wuhan = await ask("武汉有哪些补贴？");
    expect(wuhan.policies.every((p) => !p.id.startsWith("bj-"))).toBe(true);
    // No topic ranks a place's list: what is open now leads, what has closed comes last.
    const order = { open: 0, upcoming: 1, unknown: 2, closed: 3 } as Record<string, number>;
    const states = wuhan.policies.map((p) => order[p.deadline?.state ?? "unknown"]);
    expect(states[0]).toBe(0);
    expect(states).toEqual([...states].sort((a, b) => a - b));
    for (const question of ["有哪些政策？", "海淀有首台套政策吗？", "成都有哪些补贴？"]) {
      const body = await ask(question);
      expect(body.policies).toEqual([]);
    }
  });

  it("states the application window of a first-turn deadline question", async () => {
    const body = await ask("武汉市企业研发投入奖励什么时候截止？");
    expect(body.intent).toBe("deadline");
    const top = body.policies[0];
    expect(top.deadline?.applyEnd).toBeTruthy();
    expect(firstSentence(body.answer)).toContain(top.deadline!.applyEnd!);
    expect(firstSentence(body.answer)).toMatch(/截止/);
  });

  it("leads an amount question with a policy that states a sum, not one about as relevant that pays nothing", async () => {
    const body = await ask("我们是东湖高新区的科技型中小企业，去年研发投入650万，研发奖励能给多少？");
    expect(body.intent).toBe("amount");
    expect(firstSentence(body.answer)).toMatch(/\d+(?:\.\d+)?\s*(?:万元|%)/);
    expect(firstSentence(body.answer)).not.toMatch(/未写明具体金额/);
  });

  it("says first what a rate-of-a-base rule comes to when the company gives the base, and how it was computed", async () => {
    const body = (await ask("我们在武汉，2025年研发费用1500万元，2024年是1100万元，研发投入奖励能拿多少？")) as Body & {
      policies: Array<Card & { estimate?: { amount: number; base: number } }>;
    };
    expect(body.intent).toBe("amount");
    expect(body.policies[0].estimate).toMatchObject({ amount: 40, base: 400 });
    expect(firstSentence(body.answer)).toMatch(/研发费用增量400万元 × 10% 估算，约可获40万元/);
  });

  it("carries the top policy's support rules as data beside the text, each with the sentence it was read from", async () => {
    const body = (await ask("我们在武汉，2025年研发费用1500万元，2024年是1100万元，研发投入奖励能拿多少？")) as Body & {
      policies: Array<Card & { supportRules: Array<{ kind: string; rate?: number; cap?: number | null; text: string }> }>;
    };
    const rate = body.policies[0].supportRules.find((r) => r.kind === "rate");
    expect(rate).toMatchObject({ rate: 0.1 });
    expect(rate!.text).toMatch(/10%/);
  });

  it("gives the estimate after the window when the question asks by when", async () => {
    const body = await ask("我们在武汉，2025年研发费用1500万元，2024年是1100万元，研发投入奖励什么时候截止？");
    expect(body.intent).toBe("deadline");
    expect(firstSentence(body.answer)).toMatch(/截止/);
    expect(body.answer.split("\n")[1]).toMatch(/约可获40万元/);
  });

  it("says a closed programme is closed and usually reopens", async () => {
    const body = await ask("深圳南山区高新技术企业认定奖励什么时候申报？");
    const closed = body.policies.find((p) => p.deadline?.state === "closed");
    expect(closed).toBeDefined();
    expect(body.answer).toMatch(/已截止/);
    expect(body.answer).toMatch(/每年|下一期/);
  });

  it.each(["东湖高新区高新技术企业有什么支持？", "武汉的高新技术企业有什么奖励？", "武汉有哪些专利资助政策？", "东湖高新区有什么人工智能和算力补贴？"])(
    "never puts a closed policy first when an open one is about as relevant: %s",
    async (question) => {
      const { policies } = await ask(question);
      const [top, ...rest] = policies;
      if (top?.deadline?.state !== "closed") return;
      for (const p of rest.filter((p) => p.deadline?.state === "open")) expect(p.score).toBeLessThan(top.score * 0.85);
    },
  );

  it("gives one short line per further policy with its sum and window, not the full card", async () => {
    const body = await ask("武汉的科技型中小企业有哪些补贴？");
    expect(body.policies.length).toBeGreaterThan(1);
    expect(body.answer).not.toMatch(/支持内容：|主要条件：|申报方式：/);
    for (const p of body.policies.slice(1)) expect(body.answer).toMatch(new RegExp(`\\d+\\. 《${p.title.replace(/[.*+?^${}()|[\]\\（）]/g, "\\$&")}》：`));
    expect(body.answer).not.toMatch(/；；|；\[\d+\]；|\]；（[一二三四五六七八九十]+）/);
  });

  it("keeps internal words out of the answer when it judges a company", async () => {
    const body = await ask("我们是武汉的科技型中小企业，可以申请研发投入奖励吗？");
    expect(body.answer).not.toMatch(/画像|\bc\d+\b/);
  });

  it("sends WeChat the direct answer and a line per policy within the limit, with no reference to cards", async () => {
    const body = await ask("武汉的科技型中小企业有哪些补贴？", { plainTextMaxChars: 300 });
    expect(body.plainText.length).toBeLessThanOrEqual(300);
    expect(body.plainText.startsWith(`《${body.policies[0].title}》`)).toBe(true);
    expect(body.plainText).not.toMatch(/卡片|\[\d+\]/);
  });
});

describe("the order and the wording of an answer", () => {
  const hit = (policyId: string, score: number) => ({ policyId, score, coverage: 1, lexical: score, vector: 0, regionPath: [], chunks: [] }) as PolicyHit;
  const policy = (id: string, applyStart: string | null, applyEnd: string | null) => ({ id, applyStart, applyEnd }) as PolicyRecord;
  const policies = [policy("closed", "2026-03-01", "2026-03-31"), policy("open", "2026-11-01", "2026-12-31"), policy("upcoming", "2027-01-01", "2027-02-28")];

  it("puts an open programme before an upcoming one and that before a closed one when they are about as relevant", () => {
    const ranked = byWindow([hit("closed", 1), hit("upcoming", 0.97), hit("open", 0.95)], policies, "2026-11-23");
    expect(ranked.map((h) => h.policyId)).toEqual(["open", "upcoming", "closed"]);
  });

  it("lets a weight («states what is asked») reorder policies about as relevant, not a clearly better one", () => {
    const silent = (id: string) => (id === "open" ? 0.85 : 1);
    const near = [hit("open", 1), hit("upcoming", 0.95)];
    expect(byWindow(near, policies, "2026-11-23", silent).map((h) => h.policyId)).toEqual(["upcoming", "open"]);
    const far = [hit("open", 1), hit("upcoming", 0.7)];
    expect(byWindow(far, policies, "2026-11-23", silent).map((h) => h.policyId)).toEqual(["open", "upcoming"]);
  });

  it("keeps a clearly more relevant closed programme first", () => {
    const ranked = byWindow([hit("closed", 1), hit("open", 0.6)], policies, "2026-11-23");
    expect(ranked.map((h) => h.policyId)).toEqual(["closed", "open"]);
  });

  const card = (id: string, title: string, extra: Partial<PolicyCard> = {}): PolicyCard =>
    ({
      id,
      title,
      issuer: null,
      docNumber: null,
      support: null,
      conditions: [],
      howToApply: null,
      deadline: null,
      citations: [],
      ...extra,
    }) as unknown as PolicyCard;

  it("answers with the asked-for fact first and one clean line per further policy", () => {
    const answer = composeAnswer(
      [
        card("a", "甲办法", { conditions: ["（一）注册在本区；[2]", "（二）上年度营业收入 2000 万元以上；[2]"] }),
        card("b", "乙办法", {
          support: "对符合条件的企业给予最高 50 万元奖励。[3]",
          deadline: { applyStart: "2026-01-01", applyEnd: "2026-03-31", state: "closed", text: null },
        }),
      ],
      {
        intent: "conditions",
        details: new Map([
          ["a", []],
          ["b", []],
        ]),
      },
    );
    const [first, ...rest] = answer.split("\n");
    expect(first).toBe("《甲办法》的申报条件：注册在本区[2]；上年度营业收入 2000 万元以上[2]。");
    expect(rest).toContain("2. 《乙办法》：对符合条件的企业给予最高 50 万元奖励[3]；已截止（本期于 2026-03-31 截止），此类项目通常每年开展，可关注下一期。");
    expect(answer).not.toMatch(/；；|\]；（|：（[一二三四五六七八九十]+）[^。]{0,6}。/);
  });

  it("does not answer «可以» about a pair from a clause that allows combining with something else", () => {
    const reward = card("r", "区企业研发投入奖励实施细则");
    const allows = (clause: string, question: string) => composeAnswer([reward], { intent: "stackable", details: new Map([["r", [clause]]]), question });
    const provincial = "已获得本年度省级研发投入补助的企业可以同时申报，但合计不超过增量的20%[1]";
    expect(allows(provincial, "高企认定奖励和研发投入奖励可以同时拿吗？")).toMatch(
      /^原文未写明能否与所问政策同时享受（《区企业研发投入奖励实施细则》只写明：已获得本年度省级研发投入补助的企业可以同时申报/,
    );
    expect(allows(provincial, "拿了省级研发投入补助，还能同时申报这个吗？")).toMatch(/^可以同时享受：/);
    expect(allows("获得本细则奖励的企业可叠加享受其他政策[1]", "高企认定奖励和研发投入奖励可以同时拿吗？")).toMatch(/^可以同时享受：/);
  });

  it("says so when the text does not state the fact asked for", () => {
    expect(composeAnswer([card("a", "甲办法")], { intent: "materials", details: new Map() })).toMatch(/^《甲办法》的申报材料：政策原文未列出申报材料清单/);
  });
});
