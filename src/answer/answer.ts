import type { Deps } from "../deps.js";
import { getChunksOf, getPolicies, type StoredChunk } from "../db/policy-store.js";
import { placePathIn, profileRegionPath } from "../policies/region.js";
import { judgeCompany } from "../policies/eligibility.js";
import { companyFrom } from "../policies/company.js";
import { mergeProfiles, normalizeProfile, profileFromQuestion, type CompanyProfile } from "../policies/profile.js";
import { searchPolicies, type PolicyHit, type Retriever, type SearchFilters } from "../retrieval/search.js";
import { buildCard, clip, composeAnswer, type PolicyCard } from "./extractive.js";
import { composeFocusedAnswer, detailSentences, INTENT_QUERY } from "./focused.js";
import type { Intent } from "../understand/intent.js";
import type { Passage } from "./grounding.js";
import { followUps } from "./match.js";
import { todayInChina } from "../lib/china-time.js";

export type ChatRequest = {
  question: string;
  /** The company as the eligibility checks should see it (already merged with what the question says). */
  profile?: CompanyProfile;
  filters?: SearchFilters;
  limit?: number;
  /** What to search for when it differs from the question: a rewritten or follow-up-completed query. */
  searchQuery?: string;
  /** The place the turn names, read once by the understanding stage (null: none); read from the question when absent. */
  placePath?: string[] | null;
};

/**
 * Below this share of the question's weighted terms, the best passage does not
 * answer the question: say so rather than offer unrelated policies.
 */
export const MIN_COVERAGE = 0.12;
/**
 * A question that names a place the library has no local policy for asks about
 * that place's own programmes: national texts answer it only when they match
 * strongly (苏州工业园区的领军人才项目 is not answered by a national talent law).
 */
export const MIN_COVERAGE_NATIONAL_ONLY = 0.3;
/** Vector-only retrieval has no term coverage; its cosine similarity stands in. */
export const MIN_VECTOR_SIMILARITY = 0.2;
/** Policies far below the best one are noise, not answers. */
const RELATIVE_FLOOR = 0.45;

export type Retrieved = {
  /** Ranked policies, best first, before the no-answer gate. */
  ranked: PolicyHit[];
  /** What the service offers as answers: empty when nothing in the library answers the question. */
  answers: PolicyHit[];
  /** The place the question names, if any. */
  placePath?: string[];
};

/** The no-answer gate: does the best policy really answer, and which others are close enough to offer? */
export function answerableHits(hits: PolicyHit[], limit: number, context: { placePath?: string[]; retriever?: Retriever } = {}): PolicyHit[] {
  const top = hits[0];
  if (!top) return [];
  if (context.retriever === "vector") {
    if (top.vector < MIN_VECTOR_SIMILARITY) return [];
  } else {
    const nationalOnly = context.placePath?.length && hits.every((h) => h.regionPath.length === 0);
    if (top.coverage < (nationalOnly ? MIN_COVERAGE_NATIONAL_ONLY : MIN_COVERAGE)) return [];
  }
  return hits.filter((h) => h.score >= top.score * RELATIVE_FLOOR).slice(0, limit);
}

type AnswerDeps = Pick<Deps, "db" | "embedder" | "analyzer" | "clock">;

/**
 * Ranked policies for a question, and those that answer it: a place the
 * question names restricts the search to that branch of the administrative
 * tree; the profile's location only demotes policies elsewhere.
 */
export async function retrieveForQuestion(
  deps: AnswerDeps, req: ChatRequest, options: { limit?: number; answers?: number; retriever?: Retriever } = {},
): Promise<Retrieved> {
  const placePath = req.filters?.placePath ?? (req.placePath !== undefined ? req.placePath : placePathIn(req.question)) ?? undefined;
  const ranked = await searchPolicies(deps, req.question, {
    filters: { ...req.filters, placePath },
    preferRegionPath: profileRegionPath(req.profile?.region),
    limit: options.limit ?? 10,
    retriever: options.retriever,
  });
  const answers = answerableHits(ranked, options.answers ?? options.limit ?? 10, { placePath, retriever: options.retriever });
  return { ranked, answers, placePath };
}

/** What an answer is built from: the policies with their checklists, and the passages a model may cite. */
export type PreparedAnswer = {
  cards: PolicyCard[];
  followUpQuestions: string[];
  /** Numbered like the cards' citations, so [n] means the same passage in the cards and in a model's answer. */
  passages: Passage[];
  /** A follow-up's intent, and per policy the cited sentences that answer it. */
  intent?: Intent;
  details?: Map<string, string[]>;
};

/** A model reads at most this much policy text per answer. */
const PASSAGE_BUDGET_CHARS = 6000;
const PASSAGE_MAX_CHARS = 700;
const EXTRA_PASSAGES_PER_POLICY = 2;

export async function prepareAnswer(deps: AnswerDeps, req: ChatRequest): Promise<PreparedAnswer> {
  const limit = req.limit ?? 5;
  const query = req.searchQuery ?? req.question;
  const { answers: kept } = await retrieveForQuestion(deps, { ...req, question: query }, { limit: Math.max(limit * 2, 10), answers: limit });
  return prepareFromHits(deps, kept, { profile: req.profile });
}

/**
 * Hits for the policies a follow-up is about, in the order the user saw them:
 * a search inside just those policies finds the passages that answer the intent.
 */
export async function retrieveFocused(deps: AnswerDeps, text: string, focus: string[], intent: Intent): Promise<PolicyHit[]> {
  const found = await searchPolicies(deps, `${text} ${INTENT_QUERY[intent] ?? ""}`.trim(), { filters: { policyIds: focus }, limit: focus.length });
  return focus.map((id) => found.find((h) => h.policyId === id) ?? { policyId: id, score: 0, coverage: 0, lexical: 0, vector: 0, regionPath: [], chunks: [] });
}

/** The cards for these hits, judged against the company, with the passages a model may cite. */
export async function prepareFromHits(
  deps: AnswerDeps, kept: PolicyHit[], options: { profile?: CompanyProfile; intent?: Intent } = {},
): Promise<PreparedAnswer> {
  const ids = kept.map((h) => h.policyId);
  const [policies, chunks] = await Promise.all([getPolicies(deps.db, ids), getChunksOf(deps.db, ids)]);
  const byPolicy = new Map<string, StoredChunk[]>();
  for (const c of chunks) byPolicy.set(c.policyId, [...(byPolicy.get(c.policyId) ?? []), c]);
  const today = todayInChina(deps.clock);
  let ref = 0;
  const profile = options.profile && Object.keys(options.profile).length ? options.profile : undefined;
  const company = profile ? companyFrom(profile, today) : undefined;
  const details = new Map<string, string[]>();
  const cards = kept.flatMap((hit) => {
    const policy = policies.find((p) => p.id === hit.policyId);
    if (!policy) return [];
    const own = byPolicy.get(policy.id) ?? [];
    const card = buildCard(policy, own, hit, today, () => ++ref);
    if (options.intent) {
      // The sentences that answer a follow-up are cited like the card's own.
      const picked = detailSentences(own, options.intent, new Set(hit.chunks.map((c) => c.id)));
      details.set(policy.id, picked.map(({ chunk, sentence }) => {
        let cited = card.citations.find((c) => c.chunkId === chunk.id);
        if (!cited) card.citations.push((cited = { ref: ++ref, chunkId: chunk.id, policyId: policy.id, heading: chunk.heading, quote: clip(sentence, 160) }));
        return `${clip(sentence, 160)}[${cited.ref}]`;
      }));
    }
    return [company ? { ...card, eligibility: judgeCompany(policy.criteria, company) } : card];
  });
  // Passages: what each card cites, then the chunks retrieval found best, while the budget lasts.
  const passages: Passage[] = [];
  let used = 0;
  const add = (card: PolicyCard, chunk: StoredChunk, ref: number) => {
    const text = chunk.text.length > PASSAGE_MAX_CHARS ? `${chunk.text.slice(0, PASSAGE_MAX_CHARS)}…` : chunk.text;
    if (used + text.length > PASSAGE_BUDGET_CHARS && passages.length) return false;
    used += text.length;
    passages.push({ ref, chunkId: chunk.id, policyId: card.id, title: card.title, heading: chunk.heading, text });
    return true;
  };
  for (const card of cards) {
    const own = byPolicy.get(card.id) ?? [];
    for (const c of card.citations) {
      const chunk = own.find((x) => x.id === c.chunkId);
      if (chunk) add(card, chunk, c.ref);
    }
  }
  for (const card of cards) {
    const hit = kept.find((h) => h.policyId === card.id)!;
    const own = byPolicy.get(card.id) ?? [];
    for (const h of hit.chunks.slice(0, EXTRA_PASSAGES_PER_POLICY)) {
      const chunk = own.find((x) => x.id === h.id);
      if (!chunk || passages.some((p) => p.chunkId === chunk.id)) continue;
      if (!add(card, chunk, ref + 1)) break;
      ref++;
    }
  }
  const followUpQuestions = followUps(cards.flatMap((c) => (c.eligibility ? [c.eligibility] : [])), 3);
  return { cards, followUpQuestions, passages, ...(options.intent ? { intent: options.intent, details } : {}) };
}

/**
 * The company as this turn sees it: what the message states wins (a correction
 * replaces the field), then the profile the caller sent, then what earlier turns gathered.
 */
export function profileForTurn(question: string, sent?: CompanyProfile, gathered?: CompanyProfile, today?: string): CompanyProfile | undefined {
  const merged = mergeProfiles(profileFromQuestion(question, { today }), mergeProfiles(sent, gathered ?? {}));
  return Object.keys(merged).length ? normalizeProfile(merged) : undefined;
}

/** The extractive answer: the cards' own words, each statement cited; a follow-up gets what it asked for. */
export function extractiveAnswer(prepared: PreparedAnswer): string {
  if (prepared.intent && prepared.details && prepared.cards.length) return composeFocusedAnswer(prepared.cards, prepared.intent, prepared.details);
  return composeAnswer(prepared.cards);
}
