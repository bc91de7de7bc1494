import type { Deps } from "../deps.js";
import { getChunksOf, getPolicies, type StoredChunk } from "../db/policy-store.js";
import { placePathIn, profileRegionPath } from "../policies/region.js";
import type { CompanyProfile } from "../policies/profile.js";
import { searchPolicies, type PolicyHit, type Retriever, type SearchFilters } from "../retrieval/search.js";
import { buildCard, composeAnswer, type PolicyCard } from "./extractive.js";

export type ChatRequest = { question: string; profile?: CompanyProfile; filters?: SearchFilters; limit?: number };
export type ChatResult = { answer: string; policies: PolicyCard[]; mode: "extractive" };

/**
 * Below this share of the question's weighted terms, the best passage does not
 * answer the question: say so rather than offer unrelated policies.
 */
export const MIN_COVERAGE = 0.12;
/** Policies far below the best one are noise, not answers. */
const RELATIVE_FLOOR = 0.45;

export function answerableHits(hits: PolicyHit[], limit: number): PolicyHit[] {
  const top = hits[0];
  if (!top || top.coverage < MIN_COVERAGE) return [];
  return hits.filter((h) => h.score >= top.score * RELATIVE_FLOOR).slice(0, limit);
}

type AnswerDeps = Pick<Deps, "db" | "embedder" | "analyzer" | "clock">;

/**
 * Ranked policies for a question: a place the question names restricts the
 * search to that branch of the administrative tree; the profile's location
 * only demotes policies elsewhere.
 */
export function retrieveForQuestion(deps: AnswerDeps, req: ChatRequest, limit = 10, retriever?: Retriever): Promise<PolicyHit[]> {
  const placePath = placePathIn(req.question) ?? undefined;
  return searchPolicies(deps, req.question, {
    filters: { ...req.filters, placePath: req.filters?.placePath ?? placePath },
    preferRegionPath: profileRegionPath(req.profile?.region),
    limit,
    retriever,
  });
}

export async function answerQuestion(deps: AnswerDeps, req: ChatRequest): Promise<ChatResult> {
  const limit = req.limit ?? 5;
  const hits = await retrieveForQuestion(deps, req, Math.max(limit * 2, 10));
  const kept = answerableHits(hits, limit);
  const ids = kept.map((h) => h.policyId);
  const [policies, chunks] = await Promise.all([getPolicies(deps.db, ids), getChunksOf(deps.db, ids)]);
  const byPolicy = new Map<string, StoredChunk[]>();
  for (const c of chunks) byPolicy.set(c.policyId, [...(byPolicy.get(c.policyId) ?? []), c]);
  const today = deps.clock.now().toISOString().slice(0, 10);
  let ref = 0;
  const cards = kept.flatMap((hit) => {
    const policy = policies.find((p) => p.id === hit.policyId);
    return policy ? [buildCard(policy, byPolicy.get(policy.id) ?? [], hit, today, () => ++ref)] : [];
  });
  return { answer: composeAnswer(cards), policies: cards, mode: "extractive" };
}
