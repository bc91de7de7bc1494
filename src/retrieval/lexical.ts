import { toSparseLiteral } from "../db/db.js";
import { fnv1a32 } from "../lib/hash.js";

/**
 * BM25 as a sparse dot product: each chunk stores saturated, length-normalised
 * term weights; a query carries idf weights; pgvector's inner product over the
 * two is the chunk's BM25 score. Terms are hashed into a fixed space.
 */
export const LEXICAL_DIMS = 999_999_937; // a prime under sparsevec's 1e9 limit
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Mean terms per chunk (words + bigrams) for chunks of the configured size; fixed so stored weights stay valid. */
export const AVG_CHUNK_TERMS = 520;
/** The term_stats row that counts chunks. */
export const CHUNK_COUNT_TERM = "";

export function termIndex(term: string): number {
  return (fnv1a32(term) % LEXICAL_DIMS) + 1;
}

export function termFrequencies(terms: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/**
 * What a chunk is indexed as, by its terms and by its vector: the policy's title, the
 * chunk's heading and its text. Ingest, a re-embedding, and the coverage of a search hit read the same.
 */
export function chunkIndexText(title: string, heading: string | null, text: string): string {
  return `${title}\n${heading ?? ""}\n${text}`;
}

/** The stored half of BM25 for one chunk. */
export function documentWeights(terms: string[]): string {
  const tf = termFrequencies(terms);
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * terms.length) / AVG_CHUNK_TERMS);
  const weights = new Map<number, number>();
  for (const [term, f] of tf) {
    const i = termIndex(term);
    weights.set(i, (weights.get(i) ?? 0) + (f * (BM25_K1 + 1)) / (f + norm));
  }
  return toSparseLiteral(weights, LEXICAL_DIMS);
}

export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

export type WeightedTerm = { term: string; weight: number };

/** The query half: idf × query weight per term. */
export function queryWeights(terms: WeightedTerm[], df: Map<string, number>, n: number) {
  const weights = new Map<number, number>();
  const used: Array<WeightedTerm & { df: number }> = [];
  for (const { term, weight } of terms) {
    const d = df.get(term);
    if (!d) continue;
    const w = idf(d, n) * weight;
    const i = termIndex(term);
    weights.set(i, (weights.get(i) ?? 0) + w);
    used.push({ term, weight: w, df: d });
  }
  return { literal: toSparseLiteral(weights, LEXICAL_DIMS), used };
}

/** tsquery literal matching any of the terms; quotes escaped for the tsquery parser. */
export function anyTermQuery(terms: string[]): string {
  return terms.map((t) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`).join(" | ");
}
