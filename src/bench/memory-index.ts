import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { Db } from "../db/db.js";
import { parseSparseLiteral } from "../db/db.js";
import { listAllPolicies, termDocumentFrequencies } from "../db/policy-store.js";
import type { Embedder } from "../llm/embeddings.js";
import type { ChunkRecord, PolicyRecord } from "../policies/policy.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { CHUNK_COUNT_TERM, queryWeights } from "../retrieval/lexical.js";
import type { IndexedChunk, LexicalHit, LexicalIndex, SparseVector } from "../retrieval/memory-index.js";
import { queryTerms, searchPolicies } from "../retrieval/search.js";
import { varyPolicy } from "./scale.js";

type Source = { policy: PolicyRecord; chunks: ChunkRecord[] };

/** A question's query vector as lexical search builds it (terms, expansions, idf), from the given document frequencies. */
export function lexicalQueryVector(deps: { analyzer: Analyzer }, question: string, df: Map<string, number>): SparseVector | null {
  const q = queryWeights(queryTerms(deps, question), df, df.get(CHUNK_COUNT_TERM) ?? 0);
  return q.used.length ? parseSparseLiteral(q.literal) : null;
}

/**
 * The corpus's chunks, then synthetic copies of its policies (scale.ts's variants) chunk by chunk up
 * to the largest size, with the document frequencies of `terms` as they stand at each of `sizes`
 * (what the library's term_stats would hold), so queries can be weighted at every size.
 */
export function scaledLexicalLibrary(deps: { analyzer: Analyzer }, sources: Source[], sizes: number[], terms: Set<string>) {
  const chunks: IndexedChunk[] = [];
  const df = new Map<string, number>();
  const dfAt = new Map<number, Map<string, number>>();
  const largest = Math.max(...sizes);
  const add = (policyId: string, chunk: ChunkRecord) => {
    chunks.push({ chunkId: chunk.id, policyId, lexical: parseSparseLiteral(chunk.lexical) });
    for (const t of new Set(chunk.terms)) if (terms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
    if (sizes.includes(chunks.length)) dfAt.set(chunks.length, new Map([...df, [CHUNK_COUNT_TERM, chunks.length]]));
  };
  for (const { policy, chunks: own } of sources) for (const c of own) add(policy.id, c);
  for (let copy = 1; chunks.length < largest; copy++) {
    for (const source of sources) {
      const { policy, chunks: copied } = varyPolicy(deps, source, copy);
      for (const c of copied) if (chunks.length < largest) add(policy.id, c);
    }
  }
  return { chunks, dfAt };
}

export type Agreement = { questions: number; chunksDiffer: number; policiesDiffer: number };

/**
 * How often today's lexical search (GIN candidates through the rarer terms, then the inner
 * product over those) ranks otherwise than the exact ranking over every chunk: its top 10 chunks
 * (differing when some rank holds a chunk of another score, so ties in another order agree) and
 * its top 10 policies by their best chunk. Same query, same statuses (active and expired).
 */
export async function candidateAgreement(
  deps: { db: Db; embedder: Embedder; analyzer: Analyzer },
  index: LexicalIndex,
  questions: string[],
): Promise<Agreement> {
  const searched = new Set((await listAllPolicies(deps.db)).filter((p) => p.status === "active" || p.status === "expired").map((p) => p.id));
  const allow = index.policyMask((id) => searched.has(id));
  const agreement: Agreement = { questions: 0, chunksDiffer: 0, policiesDiffer: 0 };
  for (const question of questions) {
    const df = await termDocumentFrequencies(
      deps.db,
      queryTerms(deps, question).map((t) => t.term),
    );
    const q = lexicalQueryVector(deps, question, df);
    if (!q) continue;
    agreement.questions++;
    const exact = index.topK(q, 80, { allow });
    const today = await searchPolicies(deps, question, { retriever: "fulltext", limit: 1000, evidence: 80 });
    const scoreOf = new Map(exact.map((h) => [h.chunkId, h.score]));
    const todayChunks = today
      .flatMap((h) => h.chunks)
      .sort((a, b) => b.lexical - a.lexical)
      .slice(0, 10);
    const exactChunks = exact.slice(0, 10);
    if (todayChunks.length !== exactChunks.length || todayChunks.some((c, i) => scoreOf.get(c.id) !== exactChunks[i].score)) agreement.chunksDiffer++;
    const todayPolicies = today.slice(0, 10).map((h) => h.policyId);
    if (todayPolicies.join() !== bestPolicies(exact, 10).join()) agreement.policiesDiffer++;
  }
  return agreement;
}

/** Policies by their best chunk, ties by id: how search ranks policies on the lexical path alone. */
function bestPolicies(hits: LexicalHit[], k: number): string[] {
  const best = new Map<string, number>();
  for (const h of hits) best.set(h.policyId, Math.max(best.get(h.policyId) ?? 0, h.score));
  return [...best]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([id]) => id);
}

/**
 * What `build`'s result holds in memory: V8's heap and array buffers after full collections, with
 * it and before it. Collection is forced through V8's own gc, exposed for this call; twice, since
 * the first may leave array buffers it found dead for later.
 */
export function retainedBytes<T>(build: () => T): { value: T; bytes: number } {
  v8.setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const held = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = held();
  const value = build();
  return { value, bytes: held() - before };
}
