import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import type { CompanyProfile } from "../../src/policies/profile.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

/** 20:00 on 31 December in UTC is 04:00 on 1 January in Beijing: the year's last window has closed. */
const NEW_YEAR_IN_BEIJING = new Date("2026-12-31T20:00:00Z");
const SOURCE = readFileSync(new URL("../../data/policies/wh-gaoqi-reward-2026.md", import.meta.url), "utf8");
const COMPANIES = JSON.parse(readFileSync(new URL("../../data/companies.json", import.meta.url), "utf8")) as CompanyProfile[];
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The demo 高企 reward with its window moved: one closing on 31 December, one on 1 January. */
const variant = (applyEnd: string, year: string) =>
  SOURCE.replace(/^apply_end: .*$/m, `apply_end: ${applyEnd}`)
    .replace(/^doc_no: .*$/m, `doc_no: 武科创〔2026〕${year}号`)
    .replace(/^title: (.*)$/m, `title: $1（${applyEnd} 截止）`);

type Card = { id: string; title: string; status: string; deadline: { applyEnd: string | null; state: string } | null; eligibility: { verdict: string } };

describe.each(testDatabases())("today is China's date ($name)", (database) => {
  let deps: Deps;
  let app: App;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pm-cn-time-"));
    await writeFile(join(dir, "closes-dec-31.md"), variant("2026-12-31", "91"));
    await writeFile(join(dir, "closes-jan-01.md"), variant("2027-01-01", "92"));
    deps = await testDeps(await database.open());
    deps.clock = { now: () => NEW_YEAR_IN_BEIJING };
    const summary = await ingestPaths(deps, [dir]);
    expect(summary.added).toBe(2);
    app = createApp(deps);
  });
  afterAll(async () => {
    await deps?.db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const idOf = (cards: Card[], applyEnd: string) => cards.find((c) => c.deadline?.applyEnd === applyEnd)?.id;

  it("shows a window that closed on 31 December as closed at 04:00 on 1 January Beijing time (20:00 UTC on 31 December)", async () => {
    const res = await app.request("/v1/match", post({ profile: COMPANIES[0], filters: { includeIneligible: true }, limit: 50 }));
    expect(res.status).toBe(200);
    const { policies } = (await res.json()) as { policies: Card[] };
    // The policy itself is still in force; its application window is what closed.
    expect(policies.find((p) => p.deadline?.applyEnd === "2026-12-31")).toMatchObject({ status: "active", deadline: { state: "closed" } });
    expect(policies.find((p) => p.deadline?.applyEnd === "2027-01-01")).toMatchObject({ status: "active", deadline: { state: "open" } });
  });

  it("leaves the closed window out of the company's calendar, as JSON and as iCalendar, and keeps the one closing on 1 January", async () => {
    const put = await app.request("/v1/companies/optics-cn", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ profile: COMPANIES[0] }),
    });
    expect(put.status).toBe(201);
    const { entries } = (await (await app.request("/v1/companies/optics-cn/calendar")).json()) as {
      entries: Array<{ policyId: string; applyEnd: string; verdict: string }>;
    };
    expect(entries.map((e) => e.applyEnd)).toEqual(["2027-01-01"]);
    const match = (await (await app.request("/v1/match", post({ profile: COMPANIES[0], filters: { includeIneligible: true }, limit: 50 }))).json()) as {
      policies: Card[];
    };
    expect(entries.map((e) => e.policyId)).not.toContain(idOf(match.policies, "2026-12-31"));

    // The feed says China's day whatever zone the server's machine keeps (here one west of Greenwich).
    const zone = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    let ics: string;
    try {
      ics = await (await app.request("/v1/companies/optics-cn/calendar?format=ics")).text();
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.startDate.toString())).toEqual(["2027-01-01"]);
  });
});
