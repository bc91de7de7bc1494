import { followUps } from "../companies/matching.js";
import type { Db } from "../db/db.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import type { Embedder } from "../llm/embeddings.js";
import { companyFrom } from "../policies/company.js";
import { judgeCompany } from "../policies/eligibility.js";
import type { PolicyRecord, StoredChunk } from "../policies/policy.js";
import { type CompanyProfile, mergeProfiles, normalizeProfile, profileFromQuestion } from "../policies/profile.js";
import { placePathIn, profileRegionPath, regionCompatible } from "../policies/region.js";
import { estimateFromText } from "../policies/support.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import type { Library } from "../retrieval/library.js";
import { policiesWithChunks } from "../retrieval/records.js";
import { type PolicyHit, type Retriever, type SearchFilters, searchPolicies } from "../retrieval/search.js";
import type { Intent } from "../understand/intent.js";
import { namesTopic, needText } from "../understand/need.js";
import { buildCard, clip, composeAnswer, type PolicyCard, SUM_OR_RATE, tidy, windowState } from "./extractive.js";
import { composeFocusedAnswer, type DetailKind, detailSentences, INTENT_QUERY, weighTerms } from "./focused.js";
import type { Passage } from "./grounding.js";

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
 * Below this share of the need's weight (its terms found in the best passage),
 * the best policy does not speak to the question: say so rather than offer
 * unrelated policies. Set on the tune half of the dev questions to keep at
 * least 98 % of those with an answer (`npm run eval`).
 */
export const MIN_COVERAGE = 0.12;
/**
 * A question that names a place the library has no local policy for asks about
 * that place's own programmes: national texts answer it only when they match
 * strongly (a question about 宁波's own overseas-talent scheme is not answered by a national talent law).
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
  /** The place the question asks about when the library holds no policy of it (and the company is not there). */
  uncoveredPlace?: string[];
  /** The question asks for a covered place's policies as a whole («武汉有哪些补贴？»), no topic named: `answers` are all those ranked. */
  browse?: boolean;
};

/**
 * «苏州工业园区的人才安居补贴», «南京江北新区对新型研发机构有什么支持»: a place's own programmes, asked by
 * no one who says the company is there, when the library has no policy of that place: national laws are
 * not them. Where the company itself is («我们是苏州的企业») national policies still apply to it.
 */
export function asksUncoveredPlace(hits: PolicyHit[], context: { placePath?: string[]; companyPath?: string[] }): boolean {
  if (!context.placePath?.length || hits.length === 0 || hits.some((h) => h.regionPath.length > 0)) return false;
  return !(context.companyPath?.length && regionCompatible(context.placePath, context.companyPath));
}

/** The no-answer gate: does the best policy really answer, and which others are close enough to offer? */
export function answerableHits(
  hits: PolicyHit[],
  limit: number,
  context: { placePath?: string[]; companyPath?: string[]; retriever?: Retriever; namesTopic?: boolean } = {},
): PolicyHit[] {
  const top = hits[0];
  if (!top) return [];
  const nationalOnly = !!context.placePath?.length && hits.every((h) => h.regionPath.length === 0);
  if (asksUncoveredPlace(hits, context)) return [];
  // «武汉有哪些补贴？»: a place's policies, with no topic whose coverage could be measured. The search held
  // the place's branch of the tree (and national texts), so what it ranked is the answer.
  if (context.placePath?.length && context.namesTopic === false) return hits.slice(0, limit);
  if (context.retriever === "vector") {
    if (top.vector < MIN_VECTOR_SIMILARITY) return [];
  } else if (top.coverage < (nationalOnly ? MIN_COVERAGE_NATIONAL_ONLY : MIN_COVERAGE)) return [];
  return hits.filter((h) => h.score >= top.score * RELATIVE_FLOOR).slice(0, limit);
}

type AnswerDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; clock: Clock; library?: Library };

/**
 * Ranked policies for a question, and those that answer it: a place the
 * question names restricts the search to that branch of the administrative
 * tree; the profile's location only demotes policies elsewhere.
 */
export async function retrieveForQuestion(
  deps: AnswerDeps,
  req: ChatRequest,
  options: { limit?: number; answers?: number; retriever?: Retriever } = {},
): Promise<Retrieved> {
  const placePath = req.filters?.placePath ?? (req.placePath !== undefined ? req.placePath : placePathIn(req.question)) ?? undefined;
  const ranked = await searchPolicies(deps, req.question, {
    need: needText(req.question),
    filters: { ...req.filters, placePath },
    preferRegionPath: profileRegionPath(req.profile?.region),
    limit: options.limit ?? 10,
    retriever: options.retriever,
  });
  const place = { placePath, companyPath: profileRegionPath(req.profile?.region) };
  const topic = namesTopic(req.question);
  const answers = answerableHits(ranked, options.answers ?? options.limit ?? 10, { ...place, retriever: options.retriever, namesTopic: topic });
  const uncovered = asksUncoveredPlace(ranked, place);
  // A place's policies asked for as a whole: all that were ranked are candidates, the open ones to lead (prepareFromHits).
  const browse = !topic && Boolean(placePath?.length) && answers.length > 0;
  return {
    ranked,
    answers: browse ? ranked : answers,
    placePath,
    ...(uncovered ? { uncoveredPlace: placePath } : {}),
    ...(browse ? { browse: true } : {}),
  };
}

/** What an answer is built from: the policies with their checklists, and the passages a model may cite. */
export type PreparedAnswer = {
  cards: PolicyCard[];
  followUpQuestions: string[];
  /** Numbered like the cards' citations, so [n] means the same passage in the cards and in a model's answer. */
  passages: Passage[];
  /** The turn's intent, and per policy the cited sentences that answer it. */
  intent?: Intent;
  details?: Map<string, string[]>;
  /** A follow-up about policies already on the table, answered policy by policy in the order the user saw them. */
  focused?: boolean;
  /** The question as asked: a «能同时拿吗» answer checks that a clause allowing it speaks of what the question names. */
  question?: string;
  /** Nothing answers because the question asks about a place the library holds no policy of. */
  uncoveredPlace?: string[];
};

/** A model reads at most this much policy text per answer. */
const PASSAGE_BUDGET_CHARS = 6000;
const PASSAGE_MAX_CHARS = 700;
const EXTRA_PASSAGES_PER_POLICY = 2;

export async function prepareAnswer(deps: AnswerDeps, req: ChatRequest): Promise<PreparedAnswer> {
  const limit = req.limit ?? 5;
  const query = req.searchQuery ?? req.question;
  const {
    answers: kept,
    uncoveredPlace,
    browse,
  } = await retrieveForQuestion(deps, { ...req, question: query }, { limit: Math.max(limit * 2, 10), answers: limit });
  return prepareFromHits(deps, kept, { profile: req.profile, question: query, uncoveredPlace, ...(browse ? { browse: limit } : {}) });
}

/**
 * Hits for the policies a follow-up is about, in the order the user saw them:
 * a search inside just those policies finds the passages that answer the intent.
 */
export async function retrieveFocused(deps: AnswerDeps, text: string, focus: string[], intent: Intent): Promise<PolicyHit[]> {
  const found = await searchPolicies(deps, `${text} ${INTENT_QUERY[intent] ?? ""}`.trim(), { filters: { policyIds: focus }, limit: focus.length });
  return focus.map((id) => found.find((h) => h.policyId === id) ?? { policyId: id, score: 0, coverage: 0, lexical: 0, vector: 0, regionPath: [], chunks: [] });
}

/** Which sentences answer an intent, and how many of them an answer quotes. */
const PICKS: Record<Intent, Array<[DetailKind, number]>> = {
  find: [
    ["amount", 2],
    ["validity", 1],
  ],
  amount: [["amount", 4]],
  compare: [["amount", 2]],
  deadline: [
    ["deadline", 2],
    ["validity", 1],
  ],
  conditions: [["conditions", 4]],
  eligibility: [["conditions", 3]],
  materials: [["materials", 3]],
  process: [["process", 4]],
  contact: [["contact", 2]],
  stackable: [["stackable", 2]],
  greeting: [],
  out_of_scope: [],
};

/** Words that ask rather than name what is asked about. */
const ASKING_WORDS = new Set([
  "多少",
  "什么",
  "哪些",
  "怎么",
  "怎样",
  "如何",
  "可以",
  "能否",
  "是否",
  "我们",
  "公司",
  "企业",
  "政策",
  "有没有",
  "还有",
  "这个",
  "那个",
  "一下",
  "请问",
  // the kind of question, which the intent already carries
  "条件",
  "要求",
  "满足",
  "申报",
  "申请",
  "门槛",
  "材料",
  "流程",
  "时间",
  "截止",
  "最多",
  "最多能",
  "支持",
  "资金",
]);
/** «最多能拿多少»: the largest sum on offer is what is asked. */
const MOST_ASKED = /最多|最高|上限|封顶|顶格|最大/;
/** «一共能给多少»: policies state a total as 累计 or 总额. */
const TOTAL_ASKED = /一共|总共|合计|总计|累计|总额|加起来/;
const TOTAL_WORDS = ["累计", "总额", "合计", "共计", "总计"];
/** «审核要多久»: policies state a time limit in working days. */
const DURATION_ASKED = /多久|多长时间|几天|多少天|时限|期限/;
const DURATION_WORDS = ["工作日", "日内", "天内", "办结", "时限"];

/** The words of the turn (weight 2) and of the question it stands on (weight 1) that name what is asked about. */
function questionWords(deps: { analyzer: Analyzer }, question?: string, context?: string): Array<{ word: string; weight: number }> {
  const words = new Map<string, number>();
  const add = (text: string | undefined, weight: number) => {
    for (const w of text ? deps.analyzer.words(text) : []) {
      if (w.length >= 2 && !ASKING_WORDS.has(w) && /\p{Script=Han}|\d/u.test(w)) words.set(w, Math.max(words.get(w) ?? 0, weight));
    }
  };
  add(context, 1);
  add(question, 2);
  if (TOTAL_ASKED.test(question ?? "")) for (const w of TOTAL_WORDS) words.set(w, 2);
  if (DURATION_ASKED.test(question ?? "")) for (const w of DURATION_WORDS) words.set(w, 2);
  return [...words].map(([word, weight]) => ({ word, weight }));
}

/** A policy with no known window (a framework, a law) sits between one about to open and one closed. */
const WINDOW_RANK: Record<string, number> = { open: 1, upcoming: 0.95, unknown: 0.92, closed: 0.85 };

/** A policy's WINDOW_RANK today, by id (unknown when its record is not among `policies`). */
function windowRankOf(policies: PolicyRecord[], today: string): (id: string) => number {
  return (id) => {
    const p = policies.find((x) => x.id === id);
    return WINDOW_RANK[p ? windowState(p, today) : "unknown"];
  };
}

/**
 * Among policies about as relevant, one open to applications comes before one
 * not yet open, and that before one already closed; a clearly more relevant
 * policy keeps its place (a closed one gives way to an open one only within 15 %).
 */
export function byWindow(hits: PolicyHit[], policies: PolicyRecord[], today: string, weight: (id: string) => number = () => 1): PolicyHit[] {
  const rank = windowRankOf(policies, today);
  return hits
    .map((h, i) => ({ h, i, key: h.score * rank(h.policyId) * weight(h.policyId) }))
    .sort((a, b) => b.key - a.key || a.i - b.i)
    .map((x) => x.h);
}

/** Open programmes, then upcoming, then those whose window is unknown, then closed ones; the search's order within each. */
function windowFirst(hits: PolicyHit[], policies: PolicyRecord[], today: string): PolicyHit[] {
  const rank = windowRankOf(policies, today);
  return hits
    .map((h, i) => ({ h, i, rank: rank(h.policyId) }))
    .sort((a, b) => b.rank - a.rank || a.i - b.i)
    .map((x) => x.h);
}

/**
 * A policy whose text does not state what the question asks («能拿多少» of an evaluation notice
 * that pays nothing) gives way to one about as relevant that does (within 15 %).
 */
const SILENT_RANK = 0.85;
const RANKED_BY_ANSWER: ReadonlySet<Intent> = new Set(["amount", "compare", "deadline", "materials", "process", "contact", "conditions"]);

function statesWhatIsAsked(policy: PolicyRecord, intent: Intent, sentences: string[]): boolean {
  if (intent === "amount" || intent === "compare") return sentences.some((s) => SUM_OR_RATE.test(s));
  if (intent === "deadline") return Boolean(policy.applyEnd || policy.applyStart) || sentences.length > 0;
  return sentences.length > 0;
}

/** The cards for these hits, judged against the company, with the passages a model may cite. */
export async function prepareFromHits(
  deps: AnswerDeps,
  hits: PolicyHit[],
  options: {
    profile?: CompanyProfile;
    intent?: Intent;
    question?: string;
    context?: string;
    focused?: boolean;
    uncoveredPlace?: string[];
    /** A place's policies asked for as a whole: no topic ranks them, so this many are kept, the open ones first. */
    browse?: number;
  } = {},
): Promise<PreparedAnswer> {
  const ids = hits.map((h) => h.policyId);
  const { policies, chunks } = await policiesWithChunks(deps, ids);
  const byPolicy = new Map<string, StoredChunk[]>();
  for (const c of chunks) byPolicy.set(c.policyId, [...(byPolicy.get(c.policyId) ?? []), c]);
  const today = todayInChina(deps.clock);
  const words = questionWords(deps, options.question, options.context);
  const most = MOST_ASKED.test(options.question ?? "");
  // The sentences of each policy that answer the turn.
  const picks = new Map<string, Array<{ chunk: StoredChunk; sentence: string }>>(
    hits.map((hit) => {
      const policy = policies.find((p) => p.id === hit.policyId);
      const own = byPolicy.get(hit.policyId) ?? [];
      if (!policy) return [hit.policyId, []];
      const terms = weighTerms(words, own);
      const retrieved = new Set(hit.chunks.map((c) => c.id));
      const conditions = [...policy.criteria.common, ...policy.criteria.programmes.flatMap((p) => p.criteria)].map((c) => c.text);
      return [hit.policyId, PICKS[options.intent ?? "find"].flatMap(([kind, max]) => detailSentences(own, kind, retrieved, max, { terms, conditions, most }))];
    }),
  );
  // A follow-up keeps the order the user saw; a new answer puts open programmes first among equals, and,
  // asked for a detail, one whose text states it.
  const intent = options.intent;
  const silent = (id: string) => {
    if (!intent || !RANKED_BY_ANSWER.has(intent)) return 1;
    const policy = policies.find((p) => p.id === id);
    return policy &&
      !statesWhatIsAsked(
        policy,
        intent,
        (picks.get(id) ?? []).map((p) => p.sentence),
      )
      ? SILENT_RANK
      : 1;
  };
  const kept = options.focused ? hits : options.browse ? windowFirst(hits, policies, today).slice(0, options.browse) : byWindow(hits, policies, today, silent);
  let ref = 0;
  const profile = options.profile && Object.keys(options.profile).length ? options.profile : undefined;
  const company = profile ? companyFrom(profile, today) : undefined;
  const details = new Map<string, string[]>();
  const cards = kept.flatMap((hit) => {
    const policy = policies.find((p) => p.id === hit.policyId);
    if (!policy) return [];
    const own = byPolicy.get(policy.id) ?? [];
    const card = buildCard(policy, own, hit, today, () => ++ref);
    // The sentences that answer the turn are cited like the card's own.
    const picked = picks.get(policy.id) ?? [];
    details.set(
      policy.id,
      picked.map(({ chunk, sentence }) => {
        let cited = card.citations.find((c) => c.chunkId === chunk.id);
        if (!cited) card.citations.push((cited = { ref: ++ref, chunkId: chunk.id, policyId: policy.id, heading: chunk.heading, quote: clip(sentence, 160) }));
        return `${clip(tidy(sentence), 160)}[${cited.ref}]`;
      }),
    );
    if (!company) return [card];
    const estimate = estimateFromText(
      own.map((c) => c.text),
      company,
    );
    return [{ ...card, eligibility: judgeCompany(policy.criteria, company), ...(estimate ? { estimate } : {}) }];
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
  const followUpQuestions = followUps(
    cards.flatMap((c) => (c.eligibility ? [c.eligibility] : [])),
    3,
  );
  return {
    cards,
    followUpQuestions,
    passages,
    details,
    ...(options.intent ? { intent: options.intent } : {}),
    ...(options.focused ? { focused: true } : {}),
    ...(options.question ? { question: options.question } : {}),
    ...(options.uncoveredPlace ? { uncoveredPlace: options.uncoveredPlace } : {}),
  };
}

/**
 * The company as this turn sees it: what the message states wins (a correction
 * replaces the field), then the profile the caller sent, then what earlier turns gathered.
 */
export function profileForTurn(question: string, sent?: CompanyProfile, gathered?: CompanyProfile, today?: string): CompanyProfile | undefined {
  const merged = mergeProfiles(profileFromQuestion(question, { today }), mergeProfiles(sent, gathered ?? {}));
  return Object.keys(merged).length ? normalizeProfile(merged) : undefined;
}

/** The extractive answer: what was asked first, from the policies' own words, each statement cited. */
export function extractiveAnswer(prepared: PreparedAnswer): string {
  const details = prepared.details ?? new Map<string, string[]>();
  if (prepared.focused && prepared.intent && prepared.cards.length) return composeFocusedAnswer(prepared.cards, prepared.intent, details);
  if (prepared.intent === "compare" && prepared.cards.length > 1) return composeFocusedAnswer(prepared.cards, "compare", details);
  return composeAnswer(prepared.cards, { intent: prepared.intent, details, question: prepared.question, uncoveredPlace: prepared.uncoveredPlace });
}
