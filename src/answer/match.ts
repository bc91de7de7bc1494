import { listAllPolicies, type StoredChunk } from "../db/policy-store.js";
import type { Deps } from "../deps.js";
import { todayInChina } from "../lib/china-time.js";
import { pauser } from "../lib/pauser.js";
import { companyFrom } from "../policies/company.js";
import { type Judgement, judgeCompany, type Verdict } from "../policies/eligibility.js";
import type { PolicyRecord } from "../policies/policy.js";
import { type CompanyProfile, normalizeProfile } from "../policies/profile.js";
import { profileRegionPath, regionCompatible } from "../policies/region.js";
import { estimateFromText } from "../policies/support.js";
import { policiesWithChunks } from "../retrieval/records.js";
import { type PolicyHit, searchPolicies } from "../retrieval/search.js";
import { buildCard, type Deadline, type PolicyCard, windowState } from "./extractive.js";

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

type MatchDeps = Pick<Deps, "db" | "embedder" | "analyzer" | "clock"> & Partial<Pick<Deps, "library">>;

const ORDER: Record<Verdict, number> = { eligible: 0, needs_info: 1, ineligible: 2 };
const WINDOW_ORDER: Record<Deadline["state"], number> = { open: 0, upcoming: 1, unknown: 2, closed: 3 };

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
  // The profile's facts are read once for all the policies.
  const company = companyFrom(profile, today);
  // Judging is pure and synchronous; a pause every few milliseconds keeps other requests (a liveness probe) answered meanwhile.
  const pause = pauser();
  const judged: Array<{ policy: PolicyRecord; judgement: Judgement }> = [];
  for (const policy of candidates) {
    await pause();
    if (!statuses.has(policy.status) || (at.length > 0 && !regionCompatible(policy.regionPath, at))) continue;
    const judgement = judgeCompany(policy.criteria, company);
    if (req.includeIneligible || judgement.verdict !== "ineligible") judged.push({ policy, judgement });
  }

  // Among equals, the policies closest to what the company does come first.
  const about = [...(profile.industries ?? []), ...(profile.qualifications ?? []), ...(profile.facts ?? [])].join(" ");
  const relevance = new Map<string, PolicyHit>();
  if (about.trim() && judged.length) {
    const hits = await searchPolicies(deps, about, {
      limit: judged.length,
      filters: { policyIds: judged.map((x) => x.policy.id), statuses: [...statuses] as PolicyRecord["status"][] },
    });
    for (const h of hits) relevance.set(h.policyId, h);
  }
  // As a person reads a list: what the company can apply for, then what it may; within each, open before
  // upcoming before closed, then what is closest to what the company does.
  judged.sort(
    (a, b) =>
      ORDER[a.judgement.verdict] - ORDER[b.judgement.verdict] ||
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
  for (const j of judgements) for (const q of new Set(j.missing.map((m) => m.question))) tally.set(q, (tally.get(q) ?? 0) + 1);
  return [...tally]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([q]) => q);
}
