/**
 * 政策找企业: one company's policies ranked for it (/v1/match), many companies
 * judged against the library (batch), one policy judged against a tenant's
 * companies, and the application windows of a company's matches. Every one
 * of them judges the same way (judgeFor). The library is read once and judged
 * in memory (the judge is pure), so 10,000 profiles cost one read, not 10,000.
 */

import { buildCard, type Deadline, type PolicyCard, windowState } from "../answer/extractive.js";
import type { Db } from "../db/db.js";
import { listAllPolicies } from "../db/policy-store.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import { pauser } from "../lib/pauser.js";
import type { Embedder } from "../llm/embeddings.js";
import { type Company, companyFrom } from "../policies/company.js";
import { type Judgement, judgeCompany, judgeCompanyUnlessRuledOut, type Verdict } from "../policies/eligibility.js";
import type { PolicyRecord, StoredChunk } from "../policies/policy.js";
import { type CompanyProfile, normalizeProfile } from "../policies/profile.js";
import { profileRegionPath, regionCompatible } from "../policies/region.js";
import { estimateFromText } from "../policies/support.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import type { Library } from "../retrieval/library.js";
import { policiesWithChunks } from "../retrieval/records.js";
import { type PolicyHit, searchPolicies } from "../retrieval/search.js";
import { listAllCompanies } from "./company-profiles.js";

/** Which policies are the company's to consider: its region branch (empty: everywhere) and the statuses asked for. */
type MatchScope = { at: string[]; statuses?: ReadonlySet<string>; includeIneligible?: boolean };

/** One policy judged for the company, or null when it is out of scope: another status, another region branch, or ineligible unless asked. */
function judgeFor(policy: PolicyRecord, company: Company, scope: MatchScope): Judgement | null {
  if (scope.statuses && !scope.statuses.has(policy.status)) return null;
  if (scope.at.length > 0 && !regionCompatible(policy.regionPath, scope.at)) return null;
  if (scope.includeIneligible) return judgeCompany(policy.criteria, company);
  const judgement = judgeCompanyUnlessRuledOut(policy.criteria, company);
  return judgement && judgement.verdict !== "ineligible" ? judgement : null;
}

const VERDICT_ORDER: Record<Verdict, number> = { eligible: 0, needs_info: 1, ineligible: 2 };
const WINDOW_ORDER: Record<Deadline["state"], number> = { open: 0, upcoming: 1, unknown: 2, closed: 3 };

/** What the company still has to tell, each question once. */
const openQuestions = (judgement: Judgement) => [...new Set(judgement.missing.map((m) => m.question))];

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
  const scope = { at: profileRegionPath(normalized.region) };
  const company = companyFrom(normalized, today);
  const out: ReturnType<typeof openPolicies> = [];
  for (const policy of policies) {
    const judgement = judgeFor(policy, company, scope);
    if (judgement) out.push({ policy, judgement: judgement as ReturnType<typeof openPolicies>[number]["judgement"] });
  }
  return out;
}

/** The eligible and needs-info policies for one company, eligible first, then fewest open questions. */
export function matchesFor(policies: PolicyRecord[], profile: CompanyProfile, today: string): PolicyMatch[] {
  const out = openPolicies(policies, profile, today).map(({ policy, judgement: j }) => ({
    policyId: policy.id,
    title: policy.title,
    verdict: j.verdict,
    questions: openQuestions(j),
    applyStart: policy.applyStart,
    applyEnd: policy.applyEnd,
    source: policy.source,
    missing: j.missing.length,
  }));
  out.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.missing - b.missing || a.policyId.localeCompare(b.policyId));
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

/** A cell Excel would run as a formula: one starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: a formula-looking value is kept as text behind a quote mark ('), and quoted when it holds a comma, quote or line break. */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The batch as CSV (UTF-8 with a BOM, so Excel opens the Chinese): one row per company and matching policy. */
export function batchCsv(results: BatchResult[]): string {
  const rows = [["company_id", "verdict", "policy_id", "title", "apply_end", "open_questions"]];
  for (const r of results) {
    for (const m of [...r.eligible, ...r.needsInfo]) rows.push([r.id, m.verdict, m.policyId, m.title, m.applyEnd ?? "", m.questions.join("；")]);
    if (!r.eligible.length && !r.needsInfo.length) rows.push([r.id, "none", "", "", "", ""]);
  }
  return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
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

/** A company's calendar as of today in China: calendarEntries over the active policies. */
export async function companyCalendar(deps: { db: Db; clock: Clock }, profile: CompanyProfile): Promise<CalendarEntry[]> {
  return calendarEntries(await activePolicies(deps.db), profile, todayInChina(deps.clock));
}

export type MatchRequest = {
  profile: CompanyProfile;
  /** Only policies of this place's branch (district ⊂ city ⊂ province; national ones always). */
  regionPath?: string[];
  includeExpired?: boolean;
  includeIneligible?: boolean;
  limit?: number;
};

export type MatchResult = {
  profile: CompanyProfile;
  policies: Array<PolicyCard & { eligibility: Judgement }>;
  counts: Record<Verdict, number>;
  /** What to ask the company next: the questions that would settle the most policies. */
  followUpQuestions: string[];
};

type MatchDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; clock: Clock; library?: Library };

/**
 * 政策找企业: every policy that could concern the company, judged against its
 * conditions; eligible first, then those needing information, ineligible
 * last and only when asked; within each, open before upcoming before closed.
 */
export async function matchPolicies(deps: MatchDeps, req: MatchRequest): Promise<MatchResult> {
  const profile = normalizeProfile(req.profile);
  const today = todayInChina(deps.clock);
  const at = req.regionPath ?? profileRegionPath(profile.region);
  // The process's snapshot holds every policy's record: one generation row read instead of the whole library.
  const snapshot = await deps.library?.latest();
  const candidates = snapshot ? snapshot.policies.values() : await listAllPolicies(deps.db);
  const statuses = new Set(req.includeExpired ? ["active", "expired"] : ["active"]);
  const scope = { at, statuses, includeIneligible: req.includeIneligible };
  // The profile's facts are read once for all the policies.
  const company = companyFrom(profile, today);
  // Judging is pure and synchronous; a pause every few milliseconds keeps other requests (a liveness probe) answered meanwhile.
  const pause = pauser();
  const judged: Array<{ policy: PolicyRecord; judgement: Judgement }> = [];
  for (const policy of candidates) {
    await pause();
    const judgement = judgeFor(policy, company, scope);
    if (judgement) judged.push({ policy, judgement });
  }

  // Among equals, the policies closest to what the company does come first. Lexical relevance only: it
  // breaks ties, and a vector search per call (pgvector in PGlite's one thread, or a model's embedding
  // over the network) would cost more than the judging itself; the in-memory index answers in a millisecond.
  const about = [...(profile.industries ?? []), ...(profile.qualifications ?? []), ...(profile.facts ?? [])].join(" ");
  const relevance = new Map<string, PolicyHit>();
  if (about.trim() && judged.length) {
    const hits = await searchPolicies(deps, about, {
      limit: judged.length,
      retriever: "fulltext",
      filters: { policyIds: judged.map((x) => x.policy.id), statuses: [...statuses] as PolicyRecord["status"][] },
      at: snapshot,
    });
    for (const h of hits) relevance.set(h.policyId, h);
  }
  // As a person reads a list: what the company can apply for, then what it may; within each, open before
  // upcoming before closed, then what is closest to what the company does.
  judged.sort(
    (a, b) =>
      VERDICT_ORDER[a.judgement.verdict] - VERDICT_ORDER[b.judgement.verdict] ||
      WINDOW_ORDER[windowState(a.policy, today)] - WINDOW_ORDER[windowState(b.policy, today)] ||
      (relevance.get(b.policy.id)?.score ?? 0) - (relevance.get(a.policy.id)?.score ?? 0) ||
      a.policy.id.localeCompare(b.policy.id),
  );
  const counts: Record<Verdict, number> = { eligible: 0, needs_info: 0, ineligible: 0 };
  for (const x of judged) counts[x.judgement.verdict]++;

  const top = judged.slice(0, req.limit ?? 20);
  const { chunks } = await policiesWithChunks(
    deps,
    top.map((x) => x.policy.id),
    snapshot,
  );
  const byPolicy = new Map<string, StoredChunk[]>();
  for (const c of chunks) byPolicy.set(c.policyId, [...(byPolicy.get(c.policyId) ?? []), c]);
  let ref = 0;
  const policies: MatchResult["policies"] = [];
  for (const { policy, judgement } of top) {
    await pause();
    const hit = relevance.get(policy.id) ?? { policyId: policy.id, score: 0, coverage: 0, lexical: 0, vector: 0, regionPath: policy.regionPath, chunks: [] };
    const own = byPolicy.get(policy.id) ?? [];
    const estimate = estimateFromText(
      own.map((c) => c.text),
      company,
    );
    policies.push({ ...buildCard(policy, own, hit, today, () => ++ref), eligibility: judgement, ...(estimate ? { estimate } : {}) });
  }
  return { profile, policies, counts, followUpQuestions: followUps(policies.map((p) => p.eligibility)) };
}

/** The questions that settle the most policies, most useful first. */
export function followUps(judgements: Judgement[], max = 5): string[] {
  const tally = new Map<string, number>();
  for (const j of judgements) for (const q of openQuestions(j)) tally.set(q, (tally.get(q) ?? 0) + 1);
  return [...tally]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([q]) => q);
}
