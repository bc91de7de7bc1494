import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "../../src/access/keys.js";
import { type App, createApp } from "../../src/app.js";
import { purgeOldBatches } from "../../src/companies/batch.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { createJob } from "../../src/jobs/queue.js";
import type { CompanyProfile } from "../../src/policies/profile.js";
import { testDatabases } from "../helpers/databases.js";
import { FIXED_TODAY, testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as CompanyProfile[];
const TODAY = FIXED_TODAY.toISOString().slice(0, 10);
type Company = {
  externalId: string;
  version: number;
  calendarUrl: string;
  profile: CompanyProfile;
  history?: Array<{ version: number; profile: CompanyProfile; source: string }>;
};
type Entry = { policyId: string; title: string; verdict: string; applyEnd: string };
type ErrorBody = { error: { code: string; message: string } };

describe.each(testDatabases())("saved companies, candidates, batch matching and deadline calendars ($name)", (database) => {
  let deps: Deps;
  let app: App;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    await ingestPaths(deps, [DEMO]);
    app = createApp(deps);
    for (const tenant of ["park-a", "park-b"])
      keys[tenant] = (await createApiKey(deps.db, { tenant, scopes: ["chat", "match"], ratePerMinute: 10_000, dailyQuota: 100_000 })).secret;
    keys.widget = (
      await createApiKey(deps.db, {
        tenant: "park-a",
        kind: "widget",
        scopes: ["chat", "match"],
        allowedOrigins: ["https://park-a.example.cn"],
        ratePerMinute: 100,
        dailyQuota: 1000,
      })
    ).secret;
  });
  afterAll(() => deps?.db.close());

  const call = (path: string, tenant: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(path, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${keys[tenant]}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it("saves a profile per tenant, keeps each changed version, and deletes it with its history", async () => {
    const created = await call("/v1/companies/91420100MA4K000001", "park-a", { method: "PUT", body: { profile: COMPANIES[0], chatUpdates: true } });
    expect(created.status).toBe(201);
    const first = (await created.json()) as Company;
    expect(first).toMatchObject({ externalId: "91420100MA4K000001", version: 1 });
    expect(first.calendarUrl).toMatch(/^http:\/\/localhost\/calendar\/cal_[a-f0-9]{40}\.ics$/);
    // The same profile again is not a new version; a change is.
    expect(
      ((await (await call("/v1/companies/91420100MA4K000001", "park-a", { method: "PUT", body: { profile: COMPANIES[0] } })).json()) as Company).version,
    ).toBe(1);
    const changed = { ...COMPANIES[0], revenue: 9000 };
    expect(((await (await call("/v1/companies/91420100MA4K000001", "park-a", { method: "PUT", body: { profile: changed } })).json()) as Company).version).toBe(
      2,
    );
    const got = (await (await call("/v1/companies/91420100MA4K000001", "park-a")).json()) as Company;
    expect(got.history!.map((h) => [h.version, h.profile.revenue, h.source])).toEqual([
      [2, 9000, "api"],
      [1, 8000, "api"],
    ]);
    expect(JSON.stringify(got)).not.toContain("feedToken");

    // Another tenant cannot see it; a bad profile is refused naming the field; a widget key may not touch saved companies.
    expect((await call("/v1/companies/91420100MA4K000001", "park-b")).status).toBe(404);
    const bad = await call("/v1/companies/x1", "park-a", { method: "PUT", body: { profile: { revenue: -5 } } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/revenue/);
    expect((await call("/v1/companies/91420100MA4K000001", "widget", { headers: { origin: "https://park-a.example.cn" } })).status).toBe(403);

    expect((await call("/v1/companies/91420100MA4K000001", "park-a", { method: "DELETE" })).status).toBe(200);
    expect((await call("/v1/companies/91420100MA4K000001", "park-a")).status).toBe(404);
    expect((await app.request(new URL(first.calendarUrl).pathname)).status).toBe(404);
  });

  it("refuses a founding date that is no calendar day (2026-02-30), naming profile.established, when saving and when matching", async () => {
    for (const established of ["2026-02-30", "2025-02-29", "2024-04-31", "2024-13"]) {
      const profile = { ...COMPANIES[0], established };
      for (const res of [
        await call("/v1/companies/x-date", "park-a", { method: "PUT", body: { profile } }),
        await call("/v1/match", "park-a", { method: "POST", body: { profile } }),
      ]) {
        expect(res.status, established).toBe(400);
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe("bad_request");
        expect(body.error.message, established).toMatch(/profile\.established/);
      }
    }
    expect((await call("/v1/companies/x-date", "park-a")).status).toBe(404);
    // 29 February is a day in a leap year.
    expect((await call("/v1/companies/x-date", "park-a", { method: "PUT", body: { profile: { ...COMPANIES[0], established: "2024-02-29" } } })).status).toBe(
      201,
    );
    expect((await call("/v1/companies/x-date", "park-a", { method: "DELETE" })).status).toBe(200);
  });

  it("uses a saved company in chat, and with its consent remembers what it states there", async () => {
    await call("/v1/companies/consenting", "park-a", { method: "PUT", body: { profile: COMPANIES[0], chatUpdates: true } });
    await call("/v1/companies/private", "park-a", { method: "PUT", body: { profile: COMPANIES[0] } });
    const ask = (companyId: string, tenant = "park-a", headers: Record<string, string> = {}) =>
      call("/v1/chat", tenant, { method: "POST", body: { question: "我们去年营收9000万，高新技术企业认定有什么奖励？", companyId }, headers });
    const res = await ask("consenting");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { profile: CompanyProfile; policies: Array<{ eligibility?: unknown }> };
    // The saved profile is the base; what the question states wins over it.
    expect(body.profile).toMatchObject({ revenue: 9000, employees: COMPANIES[0].employees });
    expect(body.policies[0].eligibility).toBeDefined();
    const consenting = (await (await call("/v1/companies/consenting", "park-a")).json()) as Company;
    expect(consenting.version).toBe(2);
    expect(consenting.profile.revenue).toBe(9000);
    expect(consenting.history![0].source).toBe("chat");
    // The figure it stated is placed in its field; the saved facts stay as they were, the question is not one of them.
    expect(consenting.profile.facts).toEqual(expect.arrayContaining(COMPANIES[0].facts!));
    expect(consenting.profile.facts).not.toContain("我们去年营收9000万");

    expect((await ask("private")).status).toBe(200);
    expect(((await (await call("/v1/companies/private", "park-a")).json()) as Company).version).toBe(1);
    expect((await ask("no-such-company")).status).toBe(404);
    expect((await ask("consenting", "park-b")).status).toBe(404);
    expect((await ask("consenting", "widget", { origin: "https://park-a.example.cn" })).status).toBe(403);
  });

  it("lists a company's open application windows soonest first, as JSON and as an iCalendar feed a real parser reads", async () => {
    const saved = (await (await call("/v1/companies/optics-1", "park-a", { method: "PUT", body: { profile: COMPANIES[0] } })).json()) as Company;
    const { entries } = (await (await call("/v1/companies/optics-1/calendar", "park-a")).json()) as { entries: Entry[] };
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.map((e) => e.applyEnd)).toEqual([...entries.map((e) => e.applyEnd)].sort());
    expect(entries.every((e) => e.applyEnd >= TODAY && ["eligible", "needs_info"].includes(e.verdict))).toBe(true);
    // Every open window of a policy the company is not ruled out of is there: compare with /v1/match.
    const match = (await (await call("/v1/match", "park-a", { method: "POST", body: { profile: COMPANIES[0], limit: 50 } })).json()) as {
      policies: Array<{ id: string; deadline?: { applyEnd?: string } }>;
    };
    expect(entries.map((e) => e.policyId).every((id) => match.policies.some((p) => p.id === id))).toBe(true);

    for (const res of [await call("/v1/companies/optics-1/calendar?format=ics", "park-a"), await app.request(new URL(saved.calendarUrl).pathname)]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
      const vcalendar = new ICAL.Component(ICAL.parse(await res.text()));
      const events = vcalendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      expect(events.map((e) => e.startDate.toString())).toEqual(entries.map((e) => e.applyEnd));
      expect(events.every((e) => e.startDate.isDate)).toBe(true);
      expect(events.map((e) => e.summary)).toEqual(entries.map((e) => `申报截止：${e.title}`));
      expect(vcalendar.getAllSubcomponents("vevent")[0].getFirstSubcomponent("valarm")).not.toBeNull();
    }
    expect((await app.request("/calendar/cal_0000000000000000000000000000000000000000.ics")).status).toBe(404);
  });

  it("judges many companies in one request, as JSON in request order or as CSV", async () => {
    const companies = COMPANIES.map((profile, i) => ({ id: `m-${i}`, profile }));
    const res = await call("/v1/match/batch", "park-a", { method: "POST", body: { companies } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ id: string; eligible: Entry[]; needsInfo: Entry[] }>; policiesJudged: number };
    expect(body.results.map((r) => r.id)).toEqual(companies.map((c) => c.id));
    expect(body.policiesJudged).toBeGreaterThan(20);
    // The same verdicts /v1/match gives, company by company.
    for (const [i, profile] of COMPANIES.entries()) {
      const one = (await (await call("/v1/match", "park-a", { method: "POST", body: { profile, limit: 50, filters: {} } })).json()) as {
        counts: { eligible: number; needs_info: number };
      };
      expect([body.results[i].eligible.length, body.results[i].needsInfo.length]).toEqual([one.counts.eligible, one.counts.needs_info]);
    }
    const csv = await call("/v1/match/batch?format=csv", "park-a", { method: "POST", body: { companies } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // A BOM first, so Excel reads the file as UTF-8 (text() would strip it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("company_id,verdict,policy_id,title,apply_end,open_questions\r\n")).toBe(true);
    const rows = text.trim().split("\r\n").slice(1);
    expect(rows.length).toBe(body.results.reduce((n, r) => n + Math.max(1, r.eligible.length + r.needsInfo.length), 0));

    const bad = await call("/v1/match/batch", "park-a", { method: "POST", body: { companies: [companies[0], { id: "x", profile: { employees: -1 } }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/companies\.1\.profile\.employees/);
    expect(
      (
        await call("/v1/match/batch", "park-a", {
          method: "POST",
          body: { companies: Array.from({ length: 10_001 }, (_, i) => ({ id: `c${i}`, profile: {} })) },
        })
      ).status,
    ).toBe(400);
  });

  it("lists the tenant's saved companies that qualify for one policy, eligible first", async () => {
    for (const [i, profile] of COMPANIES.entries()) await call(`/v1/companies/member-${i}`, "park-b", { method: "PUT", body: { profile } });
    const batch = (await (
      await call("/v1/match/batch", "park-b", { method: "POST", body: { companies: COMPANIES.map((profile, i) => ({ id: `member-${i}`, profile })) } })
    ).json()) as {
      results: Array<{ id: string; eligible: Entry[]; needsInfo: Entry[] }>;
    };
    const policyId = batch.results.flatMap((r) => r.eligible.map((e) => e.policyId))[0];
    expect(policyId).toBeDefined();
    const res = await call(`/v1/policies/${policyId}/candidates`, "park-b");
    expect(res.status).toBe(200);
    const { candidates } = (await res.json()) as { candidates: Array<{ externalId: string; verdict: string }> };
    const expected = batch.results.flatMap((r) =>
      [...r.eligible, ...r.needsInfo].filter((m) => m.policyId === policyId).map((m) => ({ externalId: r.id, verdict: m.verdict })),
    );
    expect(candidates.map((c) => ({ externalId: c.externalId, verdict: c.verdict })).sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual(
      expected.sort((a, b) => a.externalId.localeCompare(b.externalId)),
    );
    // Eligible first: no eligible company after the first needs_info one.
    expect(candidates.some((c) => c.verdict === "eligible")).toBe(true);
    const firstNeedsInfo = candidates.findIndex((c) => c.verdict === "needs_info");
    if (firstNeedsInfo >= 0) expect(candidates.slice(firstNeedsInfo).every((c) => c.verdict === "needs_info")).toBe(true);
    // Tenant A's own companies are not B's candidates, and an unknown policy is 404.
    const a = (await (await call(`/v1/policies/${policyId}/candidates`, "park-a")).json()) as { candidates: Array<{ externalId: string }> };
    expect(a.candidates.every((c) => !c.externalId.startsWith("member-"))).toBe(true);
    expect((await call("/v1/policies/no-such-policy/candidates", "park-b")).status).toBe(404);
  });
});

describe.each(testDatabases())("batch matching as a job, and CSV uploads ($name)", (database) => {
  let deps: Deps;
  let app: App;
  beforeAll(async () => {
    deps = await testDeps(await database.open());
    await ingestPaths(deps, [DEMO]);
    app = createApp(deps);
  });
  afterAll(() => deps?.db.close());

  const waitFor = (id: string) =>
    vi.waitFor(
      async () => {
        const job = (await (await app.request(`/v1/match/batch/${id}?limit=1000`)).json()) as {
          status: string;
          done: number;
          total: number;
          results?: Array<{ id: string; eligible: Entry[]; needsInfo: Entry[] }>;
          csvUrl?: string;
        };
        if (["queued", "running"].includes(job.status)) throw new Error(`batch did not finish: ${job.status}`);
        return job;
      },
      { timeout: 30_000, interval: 50 },
    );

  it("runs more than 1,000 companies as a job with progress, whose results equal the synchronous answer", async () => {
    const companies = Array.from({ length: 1_200 }, (_, i) => ({ id: `c-${i}`, profile: COMPANIES[i % COMPANIES.length] }));
    const res = await app.request("/v1/match/batch", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ companies }) });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { id: string; total: number };
    expect(queued.total).toBe(1_200);
    const job = await waitFor(queued.id);
    expect(job).toMatchObject({ status: "done", done: 1_200, total: 1_200 });
    expect(job.results!.map((r) => r.id)).toEqual(companies.slice(0, 1000).map((c) => c.id));
    const sync = (await (
      await app.request("/v1/match/batch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ companies: companies.slice(0, COMPANIES.length) }),
      })
    ).json()) as {
      results: Array<{ id: string; eligible: Entry[]; needsInfo: Entry[] }>;
    };
    expect(job.results!.slice(0, COMPANIES.length)).toEqual(sync.results);
    const csv = await app.request(new URL(job.csvUrl!).pathname);
    expect(csv.status).toBe(200);
    const lines = new TextDecoder()
      .decode(await csv.arrayBuffer())
      .trim()
      .split("\r\n");
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(1_200);
    // Another tenant cannot read it, nor can the tenant's own public widget key.
    const other = (await createApiKey(deps.db, { tenant: "someone-else", scopes: ["match"], ratePerMinute: 100, dailyQuota: 1000 })).secret;
    expect((await app.request(`/v1/match/batch/${queued.id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
    const widget = (
      await createApiKey(deps.db, {
        tenant: "public",
        kind: "widget",
        scopes: ["chat"],
        allowedOrigins: ["https://site.example.cn"],
        ratePerMinute: 100,
        dailyQuota: 1000,
      })
    ).secret;
    for (const path of [`/v1/match/batch/${queued.id}`, `/v1/match/batch/${queued.id}/result.csv`]) {
      expect((await app.request(path, { headers: { authorization: `Bearer ${widget}`, origin: "https://site.example.cn" } })).status).toBe(403);
    }
  });

  it("reads companies from a CSV upload, naming the line and column of a bad cell", async () => {
    const key = (await createApiKey(deps.db, { tenant: "csv-park", scopes: ["match"], ratePerMinute: 100, dailyQuota: 1000 })).secret;
    const upload = (csv: string, query = "") =>
      app.request(`/v1/match/batch${query}`, { method: "POST", headers: { "content-type": "text/csv", authorization: `Bearer ${key}` }, body: csv });
    const csv =
      "\uFEFFid,name,province,city,district,revenue,employees,established,qualifications,facts\r\n" +
      "m-1,武汉光谷某科技有限公司,湖北省,武汉市,洪山区,8000,120,2019-06-01,高新技术企业|科技型中小企业,2025年度研发费用640万元\r\n" +
      "m-2,北京某智能公司,北京市,北京市,海淀区,1600,48,2021-03-01,科技型中小企业,\r\n";
    const res = await upload(csv);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ id: string; eligible: Entry[]; needsInfo: Entry[] }> };
    expect(body.results.map((r) => r.id)).toEqual(["m-1", "m-2"]);
    // The same as the JSON form of the same companies.
    const json = (await (
      await app.request("/v1/match/batch", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({
          companies: [
            {
              id: "m-1",
              profile: {
                name: "武汉光谷某科技有限公司",
                region: { province: "湖北省", city: "武汉市", district: "洪山区" },
                revenue: 8000,
                employees: 120,
                established: "2019-06-01",
                qualifications: ["高新技术企业", "科技型中小企业"],
                facts: ["2025年度研发费用640万元"],
              },
            },
            {
              id: "m-2",
              profile: {
                name: "北京某智能公司",
                region: { province: "北京市", city: "北京市", district: "海淀区" },
                revenue: 1600,
                employees: 48,
                established: "2021-03-01",
                qualifications: ["科技型中小企业"],
              },
            },
          ],
        }),
      })
    ).json()) as typeof body;
    expect(body.results).toEqual(json.results);

    const bad = await upload("id,revenue\r\nm-1,很多\r\n");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.message).toMatch(/第 2 行 revenue/);
    const unknown = await upload("id,color\r\nm-1,red\r\n");
    expect(((await unknown.json()) as ErrorBody).error.message).toMatch(/未知的列 color/);
    // At most three live batch jobs per tenant; finished batches' companies are forgotten after a week.
    for (let i = 0; i < 3; i++) await createJob(deps.db, "batch", { tenantId: "csv-park", companies: 1 }, FIXED_TODAY);
    expect((await upload(csv, "?async=true")).status).toBe(409);
    await deps.db.query(
      "UPDATE jobs SET status = 'done', finished_at = $1::timestamptz - interval '8 days' WHERE kind = 'batch' AND params->>'tenantId' = 'csv-park'",
      [FIXED_TODAY.toISOString()],
    );
    await deps.db.query(
      "INSERT INTO batch_items (job_id, position, company_id, profile, result) SELECT id, 0, 'old', '{}', '{}' FROM jobs WHERE kind = 'batch' AND params->>'tenantId' = 'csv-park'",
    );
    expect(await purgeOldBatches(deps.db, FIXED_TODAY)).toBe(3);
    const queued = await upload(csv, "?async=true");
    expect(queued.status).toBe(202);
    const id = ((await queued.json()) as { id: string }).id;
    const job = await vi.waitFor(
      async () => {
        const job = (await (await app.request(`/v1/match/batch/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
          status: string;
          results?: unknown[];
        };
        if (job.status !== "done") throw new Error(`the CSV batch job did not finish: ${job.status}`);
        return job;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(job.results).toEqual(body.results);
  });
});
