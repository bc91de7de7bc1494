import { describe, expect, it } from "vitest";
import { type IndexedChunk, LexicalIndex, type SparseVector } from "../../src/retrieval/memory-index.js";

/** mulberry32: a seeded generator, so a failure names the seed that reproduces it. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Random = () => number;

/** A term index in a hashed space, skewed so that low terms are in most chunks and high ones in a few. */
const skewedTerm = (random: Random, vocabulary: number) => 1 + 7919 * Math.floor(vocabulary * random() ** 3);

function vector(entries: Map<number, number>): SparseVector {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  return { indices: Uint32Array.from(sorted, ([i]) => i), values: Float32Array.from(sorted, ([, v]) => v) };
}

/**
 * A library shaped like BM25's stored weights (per chunk, saturated term frequencies against one length), with
 * exact duplicates (ties) and a few chunks of 300 distinct weights (wider than a one-byte palette).
 */
function library(random: Random, chunks: number, vocabulary: number, prefix = "c"): IndexedChunk[] {
  const out: IndexedChunk[] = [];
  for (let i = 0; i < chunks; i++) {
    const chunkId = `${prefix}${i}`;
    const policyId = `p${Math.floor(i / 7)}`;
    if (i > 0 && random() < 0.05) {
      out.push({ chunkId, policyId, lexical: out[Math.floor(random() * i)].lexical });
      continue;
    }
    const entries = new Map<number, number>();
    if (random() < 0.01) {
      while (entries.size < 300) entries.set(skewedTerm(random, vocabulary), 0.01 + random() * 3);
    } else {
      const length = 3 + Math.floor(random() * 60);
      const norm = 0.5 + 2 * random();
      while (entries.size < length) {
        const f = 1 + Math.floor(-Math.log(1 - random()) * 1.5);
        entries.set(skewedTerm(random, vocabulary), (f * 2.2) / (f + norm));
      }
    }
    out.push({ chunkId, policyId, lexical: vector(entries) });
  }
  return out;
}

function query(random: Random, vocabulary: number): SparseVector {
  const entries = new Map<number, number>();
  const terms = 1 + Math.floor(random() * 40);
  while (entries.size < terms) {
    // One term in ten is in no chunk, as a query word the library lacks.
    const term = random() < 0.1 ? 2_000_000_000 + Math.floor(random() * 1e6) : skewedTerm(random, vocabulary);
    entries.set(term, 0.05 + 8 * random());
  }
  return vector(entries);
}

/** pgvector's inner product, written plainly: matching indices in ascending order, float32 products and sums. */
function pgvectorInnerProduct(a: SparseVector, b: SparseVector): number {
  let sum = 0;
  for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length; ) {
    if (a.indices[i] < b.indices[j]) i++;
    else if (a.indices[i] > b.indices[j]) j++;
    else sum = Math.fround(sum + Math.fround(a.values[i++] * b.values[j++]));
  }
  return sum;
}

/** The top k of `chunks` listed in ordinal order: every chunk scored, ties to the earlier one. */
function naiveTopK(chunks: IndexedChunk[], q: SparseVector, k: number, allowed: (c: IndexedChunk) => boolean = () => true) {
  return chunks
    .map((c, position) => ({ chunkId: c.chunkId, policyId: c.policyId, score: pgvectorInnerProduct(c.lexical, q), position }))
    .filter((h, i) => h.score > 0 && allowed(chunks[i]))
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, k)
    .map(({ position: _, ...hit }) => hit);
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const K = [1, 10, 80];

describe("LexicalIndex: MaxScore top-k against every posting scored", () => {
  it.each(SEEDS)("returns the exhaustive top-k, ids, order and scores to the bit, on random library %i", (seed) => {
    const random = rng(seed);
    const vocabulary = 1000 + Math.floor(random() * 3000);
    const chunks = library(random, 500 + Math.floor(random() * 4000), vocabulary);
    const index = LexicalIndex.build(chunks);
    for (let n = 0; n < 30; n++) {
      const q = query(random, vocabulary);
      for (const k of K) {
        const exhaustive = index.exhaustiveTopK(q, k);
        expect(exhaustive, `seed ${seed}, query ${n}, k ${k}`).toEqual(naiveTopK(chunks, q, k));
        expect(index.topK(q, k), `seed ${seed}, query ${n}, k ${k}`).toEqual(exhaustive);
      }
    }
  });

  it.each(SEEDS)("serves a filter: only chunks of allowed policies, the same top-k as scoring them all (library %i)", (seed) => {
    const random = rng(100 + seed);
    const vocabulary = 1000 + Math.floor(random() * 2000);
    const chunks = library(random, 3000, vocabulary);
    const index = LexicalIndex.build(chunks);
    const share = [0.02, 0.3, 0.9][seed % 3];
    const allowedPolicies = new Set(chunks.map((c) => c.policyId).filter(() => random() < share));
    const allow = index.policyMask((id) => allowedPolicies.has(id));
    for (let n = 0; n < 30; n++) {
      const q = query(random, vocabulary);
      const expected = naiveTopK(chunks, q, 10, (c) => allowedPolicies.has(c.policyId));
      expect(index.exhaustiveTopK(q, 10, { allow }), `seed ${seed}, query ${n}`).toEqual(expected);
      expect(index.topK(q, 10, { allow }), `seed ${seed}, query ${n}`).toEqual(expected);
    }
  });

  it.each(SEEDS)("follows removals and replacements through tombstones and the append segment (library %i)", (seed) => {
    const random = rng(200 + seed);
    const vocabulary = 1000 + Math.floor(random() * 2000);
    let live = library(random, 2000, vocabulary);
    let index = LexicalIndex.build(live);
    for (let round = 0; round < 4; round++) {
      const before = index;
      const probe = query(random, vocabulary);
      const answered = before.topK(probe, 10);
      const remove = live.filter(() => random() < 0.05).map((c) => c.chunkId);
      const replaced = live.filter(() => random() < 0.03).map((c) => c.chunkId);
      const fresh = library(random, replaced.length + 40, vocabulary, `r${round}-`).map((c, i) => ({ ...c, chunkId: replaced[i] ?? c.chunkId }));
      index = index.withChanges({ remove, upsert: fresh });
      // Ordinals: survivors keep theirs, upserted chunks come after every earlier one.
      const gone = new Set([...remove, ...fresh.map((c) => c.chunkId)]);
      live = [...live.filter((c) => !gone.has(c.chunkId)), ...fresh];
      expect(index.size).toBe(live.length);
      expect(before.topK(probe, 10), "the earlier index is unchanged").toEqual(answered);
      for (let n = 0; n < 20; n++) {
        const q = query(random, vocabulary);
        const expected = naiveTopK(live, q, 10);
        expect(index.exhaustiveTopK(q, 10), `seed ${seed}, round ${round}, query ${n}`).toEqual(expected);
        expect(index.topK(q, 10), `seed ${seed}, round ${round}, query ${n}`).toEqual(expected);
      }
    }
  });

  it("decodes ordinal gaps of one, two and three bytes across blocks of a long list", () => {
    // Term 1 in every chunk (128-posting blocks, gaps of 1), term 2 every 300th (two bytes), term 3 at the ends (three bytes).
    const chunks: IndexedChunk[] = Array.from({ length: 40_000 }, (_, i) => {
      const entries = new Map<number, number>([[1, 1 + (i % 5) / 10]]);
      if (i % 300 === 7) entries.set(2, 1.5);
      if (i === 3 || i === 39_990) entries.set(3, 2);
      return { chunkId: `c${i}`, policyId: "p", lexical: vector(entries) };
    });
    const index = LexicalIndex.build(chunks);
    for (const q of [
      vector(new Map([[3, 1]])),
      vector(
        new Map([
          [2, 1],
          [3, 0.5],
        ]),
      ),
      vector(
        new Map([
          [1, 0.1],
          [2, 1],
          [3, 5],
        ]),
      ),
    ]) {
      expect(index.topK(q, 20)).toEqual(naiveTopK(chunks, q, 20));
      expect(index.exhaustiveTopK(q, 20)).toEqual(naiveTopK(chunks, q, 20));
    }
    expect(index.topK(vector(new Map([[3, 1]])), 5).map((h) => h.chunkId)).toEqual(["c3", "c39990"]);
  });

  it("ranks by pgvector's float32 sums where float64 sums of the same products would order two chunks the other way", () => {
    // Six products whose float32 sum rounds up past a float32 value that their exact sum stays below.
    const products = [1.2045841217041016, 0.5778416395187378, 1.0596961975097656, 0.9755929708480835, 1.0983526706695557, 0.6919610500335693];
    const between = 5.608028888702393;
    const chunks: IndexedChunk[] = [
      { chunkId: "one-term", policyId: "p", lexical: vector(new Map([[100, between]])) },
      { chunkId: "six-terms", policyId: "p", lexical: vector(new Map(products.map((w, i) => [i + 1, w]))) },
    ];
    const q = vector(new Map([1, 2, 3, 4, 5, 6, 100].map((i) => [i, 1])));
    expect(products.reduce((a, b) => a + b)).toBeLessThan(between);
    expect(naiveTopK(chunks, q, 1).map((h) => h.chunkId)).toEqual(["six-terms"]);
    const index = LexicalIndex.build(chunks);
    expect(index.topK(q, 1)).toEqual(naiveTopK(chunks, q, 1));
    expect(index.exhaustiveTopK(q, 1)).toEqual(naiveTopK(chunks, q, 1));
  });

  it("refuses a chunk indexed twice and weights pgvector's BM25 never stores", () => {
    const lexical = vector(new Map([[5, 1]]));
    expect(() =>
      LexicalIndex.build([
        { chunkId: "a", policyId: "p", lexical },
        { chunkId: "a", policyId: "p", lexical },
      ]),
    ).toThrow(/twice/);
    expect(() => LexicalIndex.build([{ chunkId: "a", policyId: "p", lexical: vector(new Map([[5, -1]])) }])).toThrow(/not positive/);
    expect(() => LexicalIndex.build([]).topK({ indices: Uint32Array.of(2, 1), values: Float32Array.of(1, 1) }, 3)).toThrow(/ascending/);
  });
});
