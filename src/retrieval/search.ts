import type { Db } from "../db/db.js";
import { parseSparseLiteral, toVectorLiteral } from "../db/db.js";
import { termDocumentFrequencies } from "../db/policy-store.js";
import { type ChunkRow, lexicalCandidates, vectorCandidates } from "../db/search-store.js";
import { BoundedMemo } from "../lib/bounded-memo.js";
import type { Embedder } from "../llm/embeddings.js";
import type { Analyzer } from "./analyzer.js";
import { BIGRAM_PREFIX } from "./analyzer.js";
import { queryEmbedder } from "./embedding-models.js";
import { anyTermQuery, CHUNK_COUNT_TERM, chunkIndexText, idf, queryWeights, termIndex, type WeightedTerm } from "./lexical.js";
import { expandQuery } from "./lexicon.js";
import type { Library, LibrarySnapshot, PolicyFilter } from "./library.js";

export type Retriever = "hybrid" | "vector" | "fulltext";

export type SearchFilters = {
  /** Only policies whose region covers this company location (path, e.g. ["北京市","海淀区"]). */
  regionPath?: string[];
  statuses?: Array<"active" | "expired" | "draft" | "withdrawn">;
  policyIds?: string[];
  /** Only policies on the same administrative branch as this place (named in the question). */
  placePath?: string[];
};

export type SearchOptions = {
  retriever?: Retriever;
  filters?: SearchFilters;
  /** Policies outside this location are demoted, not removed (a profile is a hint, not a filter). */
  preferRegionPath?: string[];
  limit?: number;
  /** Chunks kept as evidence per policy. */
  evidence?: number;
  /** What the question asks about (`needText`): coverage is measured on it; the whole query by default. */
  need?: string;
  /** Add the vocabulary policies use for the question's words (LEXICON); on by default. */
  expand?: boolean;
  /**
   * A snapshot the caller read at the database's generation a moment ago (`Library.latest()`): the lexical
   * path searches it without reading the generation again, so one request sees one generation of the library.
   */
  at?: LibrarySnapshot;
};

export type ChunkHit = { id: string; policyId: string; heading: string | null; text: string; lexical: number; vector: number };
export type PolicyHit = {
  policyId: string;
  score: number;
  /**
   * Share of the need's idf weight whose terms the best evidence chunk (with the
   * policy's title and its heading) contains, 0–1: how well the text speaks to what is asked.
   * Measured for the best hit only, which the no-answer decision reads; 0 for the others.
   */
  coverage: number;
  lexical: number;
  vector: number;
  /** The policy's administrative path; empty for national policies. */
  regionPath: string[];
  chunks: ChunkHit[];
};

/**
 * Fusion weights (`npm run eval`). The local embedder's vector path is weak alone; at 0.08 the fusion is at
 * least full text alone on every dev figure (at 0.15 it lost 0.005 R@10), MSGABench unchanged.
 */
export const FUSION = { lexical: 1, vector: 0.08, regionPenalty: 0.7 };
const CANDIDATES = 80;
const EXPANSION_WEIGHT = 0.5;
/** Terms present in more than this share of chunks do not select candidates (they still score)… */
const SELECTIVE_DF = 0.15;
/** …unless the library is so small that reading every matching chunk costs nothing. */
const ALWAYS_SELECTIVE_DF = 50;
/** Times the in-memory path re-reads when a write lands between its reads; past them, the SQL path answers. */
const SNAPSHOT_ATTEMPTS = 4;

export type SearchDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; nextEmbedder?: Embedder; library?: Library };

/** How questions are searched unless asked otherwise: with a model's vectors beside the lexical index; the offline embedder's add nothing. */
export const defaultRetriever = (embedder: Embedder): Retriever => (embedder.offline ? "fulltext" : "hybrid");

export async function searchPolicies(deps: SearchDeps, query: string, options: SearchOptions = {}): Promise<PolicyHit[]> {
  const retriever = options.retriever ?? defaultRetriever(await queryEmbedder(deps));
  const limit = options.limit ?? 10;
  const filter: PolicyFilter = { ...options.filters, statuses: options.filters?.statuses ?? ["active", "expired"] };
  const [lex, vec] = await Promise.all([
    retriever === "vector" ? null : lexicalSearch(deps, query, options.need ?? query, filter, options.expand, options.at),
    retriever === "fulltext" ? null : vectorSearch(deps, query, filter),
  ]);

  const byPolicy = new Map<string, PolicyHit>();
  const hitFor = (policyId: string) => {
    let h = byPolicy.get(policyId);
    if (!h) byPolicy.set(policyId, (h = { policyId, score: 0, coverage: 0, lexical: 0, vector: 0, regionPath: [], chunks: [] }));
    return h;
  };
  const chunkMap = new Map<string, ChunkHit>();
  /** Each chunk as it was indexed: the policy's title, its heading, its text. */
  const indexed = new Map<string, string>();
  const addChunk = (row: ChunkRow, kind: "lexical" | "vector", score: number) => {
    let c = chunkMap.get(row.id);
    if (!c) {
      indexed.set(row.id, chunkIndexText(row.title, row.heading, row.text));
      c = { id: row.id, policyId: row.policy_id, heading: row.heading, text: row.text, lexical: 0, vector: 0 };
      chunkMap.set(row.id, c);
      hitFor(row.policy_id).chunks.push(c);
    }
    c[kind] = score;
    const h = hitFor(row.policy_id);
    h[kind] = Math.max(h[kind], score);
    h.regionPath = row.region_path;
  };
  const lexTop = lex?.rows[0]?.score ?? 0;
  for (const r of lex?.rows ?? []) addChunk(r, "lexical", lexTop > 0 ? r.score / lexTop : 0);
  for (const r of vec ?? []) addChunk(r, "vector", r.score);

  const wl = retriever === "vector" ? 0 : FUSION.lexical;
  const wv = retriever === "fulltext" ? 0 : retriever === "vector" ? 1 : FUSION.vector;
  const prefer = options.preferRegionPath;
  const hits = [...byPolicy.values()].map((h) => {
    let score = wl * h.lexical + wv * h.vector;
    if (prefer?.length && !h.regionPath.every((p) => prefer.includes(p))) score *= FUSION.regionPenalty;
    h.chunks.sort((a, b) => wl * b.lexical + wv * b.vector - (wl * a.lexical + wv * a.vector));
    h.chunks = h.chunks.slice(0, options.evidence ?? 3);
    return { ...h, score };
  });
  hits.sort((a, b) => b.score - a.score || a.policyId.localeCompare(b.policyId));
  const top = hits.slice(0, limit);
  // Only the best hit's coverage is read (the no-answer decision); measuring every hit's would analyse ten times the text.
  if (lex && top[0])
    top[0].coverage = needCoverage(
      deps,
      lex.need,
      top[0].chunks.map((c) => indexed.get(c.id) ?? ""),
    );
  return top;
}

/**
 * A passage's index terms, kept by text for the analyzer that read them: the same candidate chunks come back
 * question after question, and cutting them into words was a tenth of a question's time. Bounded (a set
 * holds a few hundred terms), so a province library keeps only its most recently asked passages.
 */
function termSetOf(analyzer: Analyzer, text: string): ReadonlySet<string> {
  let memo = termSets.get(analyzer);
  if (!memo) termSets.set(analyzer, (memo = new BoundedMemo(TERM_SETS_KEPT)));
  return memo.get(text, (t) => new Set(analyzer.terms(t)));
}
const TERM_SETS_KEPT = 2_048;
const termSets = new WeakMap<Analyzer, BoundedMemo<string, ReadonlySet<string>>>();

/** Best share of the need's idf weight present in one of the texts. */
function needCoverage(deps: { analyzer: Analyzer }, need: Array<WeightedTerm & { idf: number }>, texts: string[]): number {
  const total = need.reduce((s, t) => s + t.weight * t.idf, 0);
  if (total <= 0) return 0;
  let best = 0;
  for (const text of texts) {
    const have = termSetOf(deps.analyzer, text);
    best = Math.max(best, need.reduce((s, t) => s + (have.has(t.term) ? t.weight * t.idf : 0), 0) / total);
  }
  return best;
}

export function queryTerms(deps: { analyzer: Analyzer }, query: string, expand = true): WeightedTerm[] {
  const weights = new Map<string, number>();
  for (const t of deps.analyzer.terms(query)) weights.set(t, (weights.get(t) ?? 0) + 1);
  for (const t of expand ? deps.analyzer.terms(expandQuery(query).join(" ")) : []) {
    if (!weights.has(t)) weights.set(t, EXPANSION_WEIGHT);
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

type LexicalPlan = {
  need: Array<WeightedTerm & { idf: number }>;
  /** The query's sparse vector (pgvector literal) and the terms that select candidates; absent when no term is in the library. */
  query?: { literal: string; selectors: string[] };
};

/** BM25's query half from the document frequencies: the weighted query, the terms that select candidates, and the need's idf. */
function lexicalPlan(terms: WeightedTerm[], needTerms: WeightedTerm[], df: Map<string, number>): LexicalPlan {
  const n = df.get(CHUNK_COUNT_TERM) ?? 0;
  // A one-character word (是, 有, 把) is grammar: every passage has it, and the bigrams carry the meaning.
  // A word no passage has (烤箱 in a library without one) is the most specific part of the need and weighs most;
  // a bigram no passage has is mostly the seam between two words (店的), and is left out.
  const need = needTerms
    .filter((t) => t.term.length > 1 && (df.has(t.term) || !t.term.startsWith(BIGRAM_PREFIX)))
    .map((t) => ({ ...t, idf: idf(df.get(t.term) ?? 0, n) }));
  if (n === 0) return { need };
  const q = queryWeights(terms, df, n);
  if (q.used.length === 0) return { need };
  // Candidates come from the chunks holding the rarer terms; every term still scores.
  const byRarity = [...q.used].sort((a, b) => a.df - b.df);
  const selective = byRarity.filter((t) => t.df <= Math.max(SELECTIVE_DF * n, ALWAYS_SELECTIVE_DF));
  const selectors = (selective.length ? selective : byRarity.slice(0, 3)).map((t) => t.term);
  return { need, query: { literal: q.literal, selectors } };
}

async function lexicalSearch(deps: SearchDeps, query: string, needText: string, filter: PolicyFilter, expand = true, at?: LibrarySnapshot) {
  const terms = queryTerms(deps, query, expand);
  // The need's terms are weighed like the query's: its words in full, their expansions at half weight.
  const needTerms = needText === query ? terms : queryTerms(deps, needText, expand);
  const asked = [...terms, ...needTerms].map((t) => t.term);
  if (deps.library) {
    const found = await lexicalFromLibrary(deps.library, terms, needTerms, asked, filter, at);
    deps.library.searched(found ? "snapshot" : "sql");
    if (found) return found;
  }
  const plan = lexicalPlan(terms, needTerms, await termDocumentFrequencies(deps.db, asked));
  if (!plan.query) return { rows: [] as ChunkRow[], need: plan.need };
  const rows = await lexicalCandidates(deps.db, plan.query.literal, anyTermQuery(plan.query.selectors), filter, CANDIDATES);
  return { rows, need: plan.need };
}

/**
 * The lexical path on the process's snapshot: the same candidates, scores and order as the SQL path, and
 * the chunks' texts from the same snapshot. The term statistics are read with the generation they belong
 * to; when it is not the snapshot's (a write landed in between), the snapshot catches up and the search
 * runs again, so no answer mixes two generations. Null after SNAPSHOT_ATTEMPTS such races: the SQL path answers.
 */
async function lexicalFromLibrary(
  library: Library,
  terms: WeightedTerm[],
  needTerms: WeightedTerm[],
  asked: string[],
  filter: PolicyFilter,
  at?: LibrarySnapshot,
) {
  const counted = [...asked, CHUNK_COUNT_TERM];
  for (let attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
    // Frequencies already read at the database's generation need only that one row read (none when the caller
    // just read it); a question with a word not read before goes straight to term_stats, whose answer carries
    // the generation it belongs to.
    const pinned = attempt === 0 ? at?.knownDf(counted) : undefined;
    let snapshot = pinned ? at : library.current;
    let df = pinned ?? snapshot?.knownDf(counted);
    if (snapshot && df && !pinned) {
      const generation = await library.store.generation();
      if (snapshot.generation !== generation) {
        snapshot = await library.at(generation);
        df = snapshot.generation === generation ? snapshot.knownDf(counted) : undefined;
      }
    }
    if (!snapshot || !df) {
      const stats = await library.store.termStats(asked);
      snapshot = await library.at(stats.generation);
      if (snapshot.generation !== stats.generation) continue;
      snapshot.rememberDf(counted, stats.df);
      df = stats.df;
    }
    const plan = lexicalPlan(terms, needTerms, df);
    if (!plan.query) return { rows: [] as ChunkRow[], need: plan.need };
    const hits = snapshot.lexicalTopK(parseSparseLiteral(plan.query.literal), plan.query.selectors.map(termIndex), filter, CANDIDATES);
    // A chunk indexed without its text was written around the change log: SQL answers.
    if (hits.some((h) => !snapshot.chunks.has(h.chunkId))) return null;
    const rows = hits.map((h): ChunkRow => {
      const { heading, text } = snapshot.chunks.get(h.chunkId)!;
      return { id: h.chunkId, policy_id: h.policyId, heading, text, score: h.score, region_path: h.policy.regionPath, title: h.policy.title };
    });
    return { rows, need: plan.need };
  }
  return null;
}

async function vectorSearch(deps: SearchDeps, query: string, filter: PolicyFilter): Promise<ChunkRow[]> {
  const embedder = await queryEmbedder(deps);
  const vector = await embedder.embedQuery(query);
  return vectorCandidates(deps.db, toVectorLiteral(vector), vector.length, embedder.modelName, filter, CANDIDATES);
}
