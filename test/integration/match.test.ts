import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as Array<Record<string, unknown>>;
const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

type Result = { id: string; status: "met" | "unmet" | "unknown"; reason: string; question?: string; soft?: boolean };
type Matched = {
  id: string;
  region: string | null;
  status: string;
  eligibility: { verdict: string; checklist: Result[]; missing: Array<{ question: string }> };
};
type MatchBody = { profile: Record<string, unknown>; counts: Record<string, number>; policies: Matched[]; followUpQuestions: string[] };
type ErrorBody = { error: { code: string; message: string; requestId: string } };
const read = async <T>(res: Response) => (await res.json()) as T;

describe.each(testDatabases())("eligibility over HTTP on the demo library ($name)", (database) => {
  let deps: Deps;
  let app: App;

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  it("POST /v1/match ranks eligible before needs_info before ineligible, each with a checklist", async () => {
    const res = await app.request("/v1/match", post({ profile: COMPANIES[0], filters: { includeIneligible: true }, limit: 50 }));
    expect(res.status).toBe(200);
    const body = await read<MatchBody>(res);
    const order = { eligible: 0, needs_info: 1, ineligible: 2 } as Record<string, number>;
    const verdicts = body.policies.map((p) => order[p.eligibility.verdict]);
    expect(verdicts).toEqual([...verdicts].sort((a, b) => a - b));
    expect(body.counts.eligible + body.counts.needs_info + body.counts.ineligible).toBe(body.policies.length);
    for (const p of body.policies) {
      // A text with no readable conditions (a framework document) is never called eligible.
      if (p.eligibility.checklist.length === 0) expect(p.eligibility.verdict).toBe("needs_info");
      for (const r of p.eligibility.checklist) expect(r.reason.length).toBeGreaterThan(0);
      if (p.eligibility.verdict === "needs_info") expect(p.eligibility.missing.length).toBeGreaterThan(0);
      if (p.eligibility.verdict === "ineligible") expect(p.eligibility.checklist.some((r) => r.status === "unmet")).toBe(true);
    }
    expect(body.followUpQuestions.length).toBeGreaterThan(0);
  });

  it("lists without includeIneligible exactly the policies it does not rule out with it, judged the same (matching stops at a shared unmet condition)", async () => {
    let ruledOut = 0;
    for (const profile of COMPANIES) {
      const all = await read<MatchBody>(await app.request("/v1/match", post({ profile, filters: { includeIneligible: true }, limit: 50 })));
      const open = await read<MatchBody>(await app.request("/v1/match", post({ profile, limit: 50 })));
      const kept = all.policies.filter((p) => p.eligibility.verdict !== "ineligible");
      ruledOut += all.policies.length - kept.length;
      expect(open.policies.map((p) => [p.id, p.eligibility])).toEqual(kept.map((p) => [p.id, p.eligibility]));
      expect({ ...open.counts, ineligible: all.counts.ineligible }).toEqual(all.counts);
    }
    expect(ruledOut).toBeGreaterThan(0);
  });

  it("puts, within a verdict, programmes open now before upcoming ones and those before closed ones", async () => {
    const body = await read<MatchBody>(
      await app.request("/v1/match", post({ profile: COMPANIES[0], filters: { includeIneligible: true, includeExpired: true }, limit: 50 })),
    );
    const policies = body.policies as Array<Matched & { deadline: { state: string } | null }>;
    const rank = { open: 0, upcoming: 1, unknown: 2, closed: 3 } as Record<string, number>;
    for (const verdict of ["eligible", "needs_info", "ineligible"]) {
      const states = policies.filter((p) => p.eligibility.verdict === verdict).map((p) => rank[p.deadline?.state ?? "unknown"]);
      expect(states, verdict).toEqual([...states].sort((a, b) => a - b));
    }
    expect(policies.some((p) => p.deadline?.state === "closed")).toBe(true);
  });

  // data/README.md, «Demo companies … and what they should match», as of the demo's today (2026-11-23, the test clock).
  const DEMO_TABLE: Array<{ qualifies: string[]; fails: string[] }> = [
    {
      qualifies: [
        "wh-gaoqi-reward-2026",
        "wh-rd-investment-reward-2026",
        "dh-compute-voucher-ai-2026",
        "cn-sme-tech-evaluation-2026",
        "wh-innovation-voucher-2026",
        "wh-patent-funding-2026",
        "cn-rd-super-deduction-2026",
        "dh-gazelle-2026",
      ],
      fails: ["dh-gaoqi-peiyu-2026", "wh-major-projects-2027", "wh-zhuanjingtexin-reward-2026"],
    },
    {
      qualifies: [
        "hb-first-set-equipment-2027",
        "wh-rd-investment-reward-2026",
        "wh-major-projects-2027",
        "hb-engineering-center-2027",
        "jx-tech-enterprise-ladder-2027",
        "cn-rd-super-deduction-2026",
        "wh-zhuanjingtexin-reward-2026",
      ],
      fails: ["cn-sme-tech-evaluation-2026", "wh-innovation-voucher-2026"],
    },
    {
      qualifies: ["hs-university-transfer-2026", "wh-innovation-voucher-2026", "cn-sme-tech-evaluation-2026"],
      fails: ["wh-gaoqi-reward-2026", "wh-rd-investment-reward-2026", "wh-major-projects-2027"],
    },
    { qualifies: ["bj-hd-zhuanjingtexin-2026", "cn-rd-super-deduction-2026"], fails: ["cn-sme-tech-evaluation-2026"] },
    { qualifies: ["cn-rd-super-deduction-2026", "cn-sme-tech-evaluation-2026", "sz-ns-gaoqi-reward-2025"], fails: [] },
    {
      qualifies: ["wh-innovation-voucher-2026", "cn-sme-tech-evaluation-2026", "dh-gaoqi-peiyu-2026"],
      fails: ["wh-patent-funding-2026", "dh-compute-voucher-ai-2026", "wh-rd-investment-reward-2026", "wh-gaoqi-reward-2026"],
    },
  ];
  // The verdicts of that table the engine reaches today; the rest it leaves at needs_info (data/README.md says why).
  const DEMO_REACHED: Array<[number, string, string]> = [
    [0, "wh-gaoqi-reward-2026", "eligible"],
    [0, "wh-rd-investment-reward-2026", "eligible"],
    [0, "cn-rd-super-deduction-2026", "eligible"],
    [0, "cn-sme-tech-evaluation-2026", "eligible"],
    [0, "wh-innovation-voucher-2026", "eligible"],
    [0, "dh-gazelle-2026", "eligible"],
    [0, "dh-gaoqi-peiyu-2026", "ineligible"],
    [0, "wh-major-projects-2027", "ineligible"],
    [0, "wh-zhuanjingtexin-reward-2026", "ineligible"],
    [1, "hb-first-set-equipment-2027", "eligible"],
    [1, "wh-rd-investment-reward-2026", "eligible"],
    [1, "cn-rd-super-deduction-2026", "eligible"],
    [1, "wh-zhuanjingtexin-reward-2026", "eligible"],
    [1, "wh-innovation-voucher-2026", "ineligible"],
    [1, "cn-sme-tech-evaluation-2026", "ineligible"],
    [2, "hs-university-transfer-2026", "eligible"],
    [2, "wh-innovation-voucher-2026", "eligible"],
    [2, "wh-gaoqi-reward-2026", "ineligible"],
    [2, "wh-rd-investment-reward-2026", "ineligible"],
    [2, "wh-major-projects-2027", "ineligible"],
    [3, "bj-hd-zhuanjingtexin-2026", "eligible"],
    [3, "cn-rd-super-deduction-2026", "eligible"],
    [3, "cn-sme-tech-evaluation-2026", "ineligible"],
    [4, "cn-rd-super-deduction-2026", "eligible"],
    [4, "cn-sme-tech-evaluation-2026", "eligible"],
    [5, "wh-innovation-voucher-2026", "eligible"],
    [5, "wh-rd-investment-reward-2026", "ineligible"],
    [5, "wh-gaoqi-reward-2026", "ineligible"],
  ];

  it("holds data/README.md's demo table: never eligible where it says a company fails, never ineligible where it qualifies, and the verdicts reached stand", async () => {
    const verdicts: Array<Map<string, string>> = [];
    for (const company of COMPANIES) {
      const res = await app.request("/v1/match", post({ profile: company, filters: { includeIneligible: true, includeExpired: true }, limit: 50 }));
      expect(res.status).toBe(200);
      verdicts.push(new Map((await read<MatchBody>(res)).policies.map((p) => [p.id, p.eligibility.verdict])));
    }
    DEMO_TABLE.forEach((row, i) => {
      for (const id of row.fails) expect(verdicts[i].get(id), `${COMPANIES[i].name} ${id}`).not.toBe("eligible");
      for (const id of row.qualifies) expect(verdicts[i].get(id) ?? "not listed", `${COMPANIES[i].name} ${id}`).not.toBe("ineligible");
    });
    for (const [i, id, verdict] of DEMO_REACHED) expect(verdicts[i].get(id), `${COMPANIES[i].name} ${id}`).toBe(verdict);
  });

  it("only judges policies of the company's own region branch (a Wuhan firm sees no Beijing, Shenzhen or Shanghai policy)", async () => {
    const body = await read<MatchBody>(await app.request("/v1/match", post({ profile: COMPANIES[0], filters: { includeIneligible: true }, limit: 50 })));
    expect(body.policies.length).toBeGreaterThan(5);
    for (const p of body.policies) expect(p.region ?? "全国").toMatch(/湖北|武汉|全国|^$/);
  });

  it("tells a company outside a policy's region that it is not eligible, quoting the place", async () => {
    const outsider = { name: "天津某科技公司", region: { city: "天津市" }, revenue: 800, rdExpense: 300, qualifications: ["高新技术企业"] };
    const body = await read<MatchBody>(
      await app.request("/v1/match", post({ profile: outsider, filters: { region: "湖北省武汉市", includeIneligible: true }, limit: 50 })),
    );
    const local = body.policies.filter((p) => /武汉|湖北/.test(p.region ?? ""));
    expect(local.length).toBeGreaterThan(0);
    for (const p of local) {
      expect(p.eligibility.verdict).not.toBe("eligible");
      if (p.eligibility.verdict === "ineligible") expect(p.eligibility.checklist.find((r) => r.status === "unmet")?.reason).toMatch(/天津/);
    }
  });

  it("asks for the deciding fact when the profile lacks it", async () => {
    const sparse = { region: { city: "武汉市", district: "洪山区" }, qualifications: ["高新技术企业"] };
    const body = await read<MatchBody>(await app.request("/v1/match", post({ profile: sparse, limit: 50 })));
    expect(body.counts.eligible).toBe(0);
    expect(body.followUpQuestions.join("")).toMatch(/研发费用|营业收入|成立/);
    expect(body.profile.region).toMatchObject({ province: "湖北省", city: "武汉市", district: "洪山区" });
  });

  it("leaves expired policies out unless asked", async () => {
    const profile = COMPANIES[0];
    const current = await read<MatchBody>(await app.request("/v1/match", post({ profile, filters: { includeIneligible: true }, limit: 50 })));
    const all = await read<MatchBody>(await app.request("/v1/match", post({ profile, filters: { includeIneligible: true, includeExpired: true }, limit: 50 })));
    expect(current.policies.every((p) => p.status === "active")).toBe(true);
    expect(all.policies.length).toBeGreaterThanOrEqual(current.policies.length);
  });

  it.each([
    [{ profile: { revenue: -5 } }, "profile.revenue: 营业收入不能为负数"],
    [{ profile: { established: "2999-01-01" } }, "profile.established: 成立日期不能晚于今天"],
    [{ profile: { employees: "一百" } }, "profile.employees"],
    [{}, "profile"],
  ])("rejects a bad profile with 400 naming the field (%j)", async (payload, field) => {
    const res = await app.request("/v1/match", post(payload));
    expect(res.status).toBe(400);
    const body = await read<ErrorBody>(res);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain(field);
  });

  it("rejects malformed JSON on /v1/match with 400", async () => {
    const res = await app.request("/v1/match", post('{"profile": {'));
    expect(res.status).toBe(400);
    expect((await read<ErrorBody>(res)).error.code).toBe("bad_request");
  });

  it("reads company facts stated in a chat question and returns each policy's verdict and follow-up questions", async () => {
    const res = await app.request("/v1/chat", post({ question: "我们是武汉的高新技术企业，去年研发费用600万，能申请哪些补贴？" }));
    expect(res.status).toBe(200);
    const body = await read<{
      profile: Record<string, unknown>;
      policies: Array<{ eligibility?: { verdict: string } }>;
      followUpQuestions: string[];
      answer: string;
    }>(res);
    expect(body.profile).toMatchObject({ region: { city: "武汉市" }, qualifications: ["高新技术企业"], rdExpense: 600 });
    expect(body.policies.length).toBeGreaterThan(0);
    for (const p of body.policies) expect(["eligible", "ineligible", "needs_info"]).toContain(p.eligibility?.verdict);
    expect(body.answer).toMatch(/符合|补充信息/);
  });

  it("shows a policy's structured criteria in GET /v1/policies/:id", async () => {
    const res = await app.request("/v1/policies/wh-rd-investment-reward-2026");
    expect(res.status).toBe(200);
    const body = await read<{ criteria: { common: Array<{ text: string; checks: Array<{ type: string; metric?: string }> }> } }>(res);
    const checks = body.criteria.common.flatMap((c) => c.checks);
    expect(checks).toContainEqual(expect.objectContaining({ type: "region" }));
    expect(checks).toContainEqual(expect.objectContaining({ type: "threshold", metric: "rdExpense" }));
  });
});

describe("answer cache", () => {
  it("serves an identical request from the cache until the library changes", async () => {
    const deps = await testDeps(await testDatabases()[0].open(), { RESPONSE_CACHE_SIZE: "10" });
    try {
      await ingestPaths(deps, [DEMO]);
      const app = createApp(deps);
      const ask = () => app.request("/v1/chat", post({ question: "武汉高企认定有奖励吗" }));
      const first = await ask();
      expect(first.headers.get("x-cache")).toBe("miss");
      const second = await ask();
      expect(second.headers.get("x-cache")).toBe("hit");
      expect(await second.text()).toBe(await first.text());
      // A different profile is a different request.
      expect((await app.request("/v1/chat", post({ question: "武汉高企认定有奖励吗", profile: { revenue: 100 } }))).headers.get("x-cache")).toBe("miss");
      // Any ingest run is a new library version; the cache notices within a second.
      await ingestPaths(deps, [DEMO]);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await ask()).headers.get("x-cache")).toBe("miss");
    } finally {
      await deps.db.close();
    }
  });
});
