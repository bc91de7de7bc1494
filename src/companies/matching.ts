/**
 * 政策找企业 at scale: many companies judged against the library, one policy
 * judged against a tenant's companies, and the application windows of a
 * company's matches. The library is read once and judged in memory (the
 * judge is pure), so 10,000 profiles cost one read, not 10,000.
 */
import type { Db } from "../db/db.js";
import { listAllPolicies } from "../db/policy-store.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import { pauser } from "../lib/pauser.js";
import { companyFrom } from "../policies/company.js";
import { type Judgement, judgeCompany, type Verdict } from "../policies/eligibility.js";
import type { PolicyRecord } from "../policies/policy.js";
import { type CompanyProfile, normalizeProfile } from "../policies/profile.js";
import { profileRegionPath, regionCompatible } from "../policies/region.js";
import { listAllCompanies } from "./company-profiles.js";

/** The policies open to matching (active), read once. */
export const activePolicies = (db: Db): Promise<PolicyRecord[]> => listAllPolicies(db, "active");

export type PolicyMatch = {
  policyId: string;
  title: string;
  verdict: Exclude<Verdict, "ineligible">;
  /** What the company still has to tell us (needs_info). */
  questions: string[];
  applyStart: string | null;
  applyEnd: string | null;
  source: string | null;
};

/**
 * The policies of the company's region branch it is not ruled out of, each
 * with its judgement; the profile's facts are read once for all of them.
 */
export function openPolicies(
  policies: PolicyRecord[],
  profile: CompanyProfile,
  today: string,
): Array<{ policy: PolicyRecord; judgement: Judgement & { verdict: Exclude<Verdict, "ineligible"> } }> {
  const normalized = normalizeProfile(profile);
  const at = profileRegionPath(normalized.region);
  const company = companyFrom(normalized, today);
  const out: ReturnType<typeof openPolicies> = [];
  for (const policy of policies) {
    if (at.length && !regionCompatible(policy.regionPath, at)) continue;
    const judgement = judgeCompany(policy.criteria, company);
    if (judgement.verdict !== "ineligible") out.push({ policy, judgement: judgement as ReturnType<typeof openPolicies>[number]["judgement"] });
  }
  return out;
}

/** The eligible and needs-info policies for one company, eligible first, then fewest open questions. */
export function matchesFor(policies: PolicyRecord[], profile: CompanyProfile, today: string): PolicyMatch[] {
  const out = openPolicies(policies, profile, today).map(({ policy, judgement: j }) => ({
    policyId: policy.id,
    title: policy.title,
    verdict: j.verdict,
    questions: [...new Set(j.missing.map((m) => m.question))],
    applyStart: policy.applyStart,
    applyEnd: policy.applyEnd,
    source: policy.source,
    missing: j.missing.length,
  }));
  out.sort((a, b) => Number(a.verdict !== "eligible") - Number(b.verdict !== "eligible") || a.missing - b.missing || a.policyId.localeCompare(b.policyId));
  return out.map(({ missing: _, ...m }) => m);
}

export type BatchResult = { id: string; eligible: PolicyMatch[]; needsInfo: PolicyMatch[] };

/** Every company against the library: the figure `npm run bench` reports is companies × policies judged per second. */
export function matchBatch(policies: PolicyRecord[], companies: Array<{ id: string; profile: CompanyProfile }>, today: string): BatchResult[] {
  return companies.map(({ id, profile }) => {
    const matches = matchesFor(policies, profile, today);
    return { id, eligible: matches.filter((m) => m.verdict === "eligible"), needsInfo: matches.filter((m) => m.verdict === "needs_info") };
  });
}

/**
 * The same, in slices with a turn of the event loop between them: 10,000
 * companies take tens of seconds of judging, and the server keeps answering
 * other requests meanwhile.
 */
export async function matchBatchYielding(
  policies: PolicyRecord[],
  companies: Array<{ id: string; profile: CompanyProfile }>,
  today: string,
  slice = 100,
): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (let i = 0; i < companies.length; i += slice) {
    out.push(...matchBatch(policies, companies.slice(i, i + slice), today));
    await new Promise((r) => setTimeout(r, 0));
  }
  return out;
}

/** The batch as CSV (UTF-8 with a BOM, so Excel opens the Chinese): one row per company and matching policy. */
export function batchCsv(results: BatchResult[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [["company_id", "verdict", "policy_id", "title", "apply_end", "open_questions"]];
  for (const r of results) {
    for (const m of [...r.eligible, ...r.needsInfo]) rows.push([r.id, m.verdict, m.policyId, m.title, m.applyEnd ?? "", m.questions.join("；")]);
    if (!r.eligible.length && !r.needsInfo.length) rows.push([r.id, "none", "", "", "", ""]);
  }
  return "\uFEFF" + rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

export type Candidate = { externalId: string; name?: string; verdict: Exclude<Verdict, "ineligible">; questions: string[] };

/** The tenant's saved companies that qualify for one policy (eligible) or may (needs_info). */
export async function candidatesFor(deps: { db: Db; clock: Clock }, tenantId: string, policy: PolicyRecord): Promise<Candidate[]> {
  const today = todayInChina(deps.clock);
  const out: Candidate[] = [];
  const pause = pauser();
  for (const c of await listAllCompanies(deps.db, tenantId)) {
    await pause();
    const [m] = matchesFor([policy], c.profile, today);
    if (m) out.push({ externalId: c.externalId, ...(c.profile.name ? { name: c.profile.name } : {}), verdict: m.verdict, questions: m.questions });
  }
  return out.sort(
    (a, b) =>
      Number(a.verdict !== "eligible") - Number(b.verdict !== "eligible") ||
      a.questions.length - b.questions.length ||
      a.externalId.localeCompare(b.externalId),
  );
}

export type CalendarEntry = PolicyMatch & { applyEnd: string };

/**
 * The application windows of a company's matching policies that have not
 * closed, soonest deadline first. Policies without a stated deadline are
 * left out: a calendar cannot show them.
 */
export function calendarEntries(policies: PolicyRecord[], profile: CompanyProfile, today: string): CalendarEntry[] {
  return matchesFor(policies, profile, today)
    .filter((m): m is CalendarEntry => !!m.applyEnd && m.applyEnd >= today)
    .sort((a, b) => a.applyEnd.localeCompare(b.applyEnd) || a.policyId.localeCompare(b.policyId));
}
