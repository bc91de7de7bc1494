import type { Deps } from "../deps.js";
import { toVectorLiteral } from "../db/db.js";
import { termDocumentFrequencies } from "../db/policy-store.js";
import { queryEmbedder } from "./embedding-models.js";
import { BIGRAM_PREFIX } from "./analyzer.js";
import { anyTermQuery, CHUNK_COUNT_TERM, chunkIndexText, idf, queryWeights, type WeightedTerm } from "./lexical.js";
import { expandQuery } from "./lexicon.js";

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

type SearchDeps = Pick<Deps, "db" | "embedder" | "analyzer"> & Partial<Pick<Deps, "nextEmbedder">>;

export async function searchPolicies(deps: SearchDeps, query: string, options: SearchOptions = {}): Promise<PolicyHit[]> {
  const retriever = options.retriever ?? "hybrid";
  const limit = options.limit ?? 10;
  const statuses = options.filters?.statuses ?? ["active", "expired"];
  const [lex, vec] = await Promise.all([
    retriever === "vector" ? null : lexicalSearch(deps, query, options.need ?? query, statuses, options.filters, options.expand),
    retriever === "fulltext" ? null : vectorSearch(deps, query, statuses, options.filters),
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
  if (lex && top[0]) top[0].coverage = needCoverage(deps, lex.need, top[0].chunks.map((c) => indexed.get(c.id) ?? ""));
  return top;
}

/** Best share of the need's idf weight present in one of the texts. */
function needCoverage(deps: Pick<Deps, "analyzer">, need: Array<WeightedTerm & { idf: number }>, texts: string[]): number {
  const total = need.reduce((s, t) => s + t.weight * t.idf, 0);
  if (total <= 0) return 0;
  let best = 0;
  for (const text of texts) {
    const have = new Set(deps.analyzer.terms(text));
    best = Math.max(best, need.reduce((s, t) => s + (have.has(t.term) ? t.weight * t.idf : 0), 0) / total);
  }
  return best;
}

type ChunkRow = { id: string; policy_id: string; heading: string | null; text: string; score: number; region_path: string[]; title: string };

function filterSql(params: unknown[], statuses: string[], filters?: SearchFilters): string {
  const parts = [`p.status = ANY($${params.push(statuses)}::text[])`];
  if (filters?.regionPath) parts.push(`p.region_path <@ $${params.push(filters.regionPath)}::text[]`);
  if (filters?.placePath) {
    const i = params.push(filters.placePath);
    parts.push(`(p.region_path <@ $${i}::text[] OR p.region_path @> $${i}::text[])`);
  }
  if (filters?.policyIds) parts.push(`p.id = ANY($${params.push(filters.policyIds)}::text[])`);
  return parts.join(" AND ");
}

export function queryTerms(deps: Pick<Deps, "analyzer">, query: string, expand = true): WeightedTerm[] {
  const weights = new Map<string, number>();
  for (const t of deps.analyzer.terms(query)) weights.set(t, (weights.get(t) ?? 0) + 1);
  for (const t of expand ? deps.analyzer.terms(expandQuery(query).join(" ")) : []) {
    if (!weights.has(t)) weights.set(t, EXPANSION_WEIGHT);
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

async function lexicalSearch(deps: SearchDeps, query: string, needText: string, statuses: string[], filters?: SearchFilters, expand = true) {
  const terms = queryTerms(deps, query, expand);
  // The need's terms are weighed like the query's: its words in full, their expansions at half weight.
  const needTerms = needText === query ? terms : queryTerms(deps, needText, expand);
  const df = await termDocumentFrequencies(deps.db, [...terms, ...needTerms].map((t) => t.term));
  const n = df.get(CHUNK_COUNT_TERM) ?? 0;
  // A one-character word (是, 有, 把) is grammar: every passage has it, and the bigrams carry the meaning.
  // A word no passage has (烤箱 in a library without one) is the most specific part of the need and weighs most;
  // a bigram no passage has is mostly the seam between two words (店的), and is left out.
  const need = needTerms
    .filter((t) => t.term.length > 1 && (df.has(t.term) || !t.term.startsWith(BIGRAM_PREFIX)))
    .map((t) => ({ ...t, idf: idf(df.get(t.term) ?? 0, n) }));
  if (n === 0) return { rows: [] as ChunkRow[], need };
  const q = queryWeights(terms, df, n);
  if (q.used.length === 0) return { rows: [] as ChunkRow[], need };
  // Candidates come from the GIN index through the rarer terms; every term still scores.
  const byRarity = [...q.used].sort((a, b) => a.df - b.df);
  const selective = byRarity.filter((t) => t.df <= Math.max(SELECTIVE_DF * n, ALWAYS_SELECTIVE_DF));
  const selectors = (selective.length ? selective : byRarity.slice(0, 3)).map((t) => t.term);
  const params: unknown[] = [q.literal, anyTermQuery(selectors)];
  const where = filterSql(params, statuses, filters);
  const { rows } = await deps.db.query<ChunkRow>(
    `SELECT c.id, c.policy_id, c.heading, c.text, p.region_path, p.title, -(c.lexical <#> $1::sparsevec) AS score
     FROM chunks c JOIN policies p ON p.id = c.policy_id
     WHERE c.tsv @@ $2::tsquery AND ${where}
     ORDER BY c.lexical <#> $1::sparsevec LIMIT ${CANDIDATES}`,
    params,
  );
  return { rows: rows.map((r) => ({ ...r, score: Number(r.score) })), need };
}

async function vectorSearch(deps: SearchDeps, query: string, statuses: string[], filters?: SearchFilters): Promise<ChunkRow[]> {
  const embedder = await queryEmbedder(deps);
  const vector = await embedder.embedQuery(query);
  const dims = vector.length;
  const params: unknown[] = [toVectorLiteral(vector), embedder.modelName];
  const where = filterSql(params, statuses, filters);
  // The inner query walks the model's HNSW index; filters apply to its candidates.
  const { rows } = await deps.db.query<ChunkRow>(
    `SELECT c.id, c.policy_id, c.heading, c.text, p.region_path, p.title, 1 - c.distance AS score
     FROM (SELECT ch.id, ch.policy_id, ch.heading, ch.text, v.distance
           FROM (SELECT chunk_id, embedding::vector(${dims}) <=> $1::vector(${dims}) AS distance
                 FROM chunk_vectors WHERE model = $2
                 ORDER BY embedding::vector(${dims}) <=> $1::vector(${dims}) LIMIT ${CANDIDATES * 2}) v
           JOIN chunks ch ON ch.id = v.chunk_id) c
     JOIN policies p ON p.id = c.policy_id
     WHERE ${where}
     ORDER BY c.distance LIMIT ${CANDIDATES}`,
    params,
  );
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}
