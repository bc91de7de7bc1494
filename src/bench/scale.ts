import type { Db } from "../db/db.js";
import { toVectorLiteral } from "../db/db.js";
import { insertPolicies, libraryCounts } from "../db/policy-store.js";
import { analyzeVectors, buildVectorIndex, dropVectorIndex, type ModelVectors } from "../db/vector-store.js";
import type { Embedder } from "../llm/embeddings.js";
import type { ChunkRecord, PolicyRecord } from "../policies/policy.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { chunkIndexText, documentWeights } from "../retrieval/lexical.js";

type Source = { policy: PolicyRecord; chunks: ChunkRecord[]; vectors?: ModelVectors[] };
type ScaleDeps = { db: Db; embedder: Embedder; analyzer: Analyzer };

const PLACES = ["北京市", "海淀区", "朝阳区", "上海市", "徐汇区", "广州市", "天河区", "武汉市", "洪山区", "深圳市"];

/** A small deterministic generator, so every run synthesises the same library. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Copy `k` of a real chunk: its sentences reordered, numbers shifted and place
 * names swapped, so terms, idf and vectors stay realistic without duplicating text.
 */
export function varyText(text: string, k: number): string {
  const random = rng(k * 7919 + text.length);
  const sentences = text.split(/(?<=[。；;！？])/).filter(Boolean);
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sentences[i], sentences[j]] = [sentences[j], sentences[i]];
  }
  return sentences
    .join("")
    .replace(/\d+(?:\.\d+)?/g, (n) => String(Math.max(1, Math.round(Number(n) * (0.5 + random())))))
    .replace(new RegExp(PLACES.join("|"), "g"), () => PLACES[Math.floor(random() * PLACES.length)]);
}

/** Copy `copy` of one source, its chunks analysed the way ingest analyses them (terms and BM25 weights; no vectors). */
export function varyPolicy(deps: { analyzer: Analyzer }, { policy, chunks }: Source, copy: number) {
  const id = `${policy.id}~s${copy}`;
  const texts = chunks.map((c) => varyText(c.text, copy));
  const indexTexts = texts.map((t, i) => chunkIndexText(policy.title, chunks[i].heading, t));
  return {
    policy: { ...policy, id, sourceFile: null, contentHash: `${policy.contentHash}~${copy}` },
    chunks: chunks.map((c, i): ChunkRecord => {
      const terms = deps.analyzer.terms(indexTexts[i]);
      return { ...c, id: `${id}#${c.position}`, text: texts[i], words: deps.analyzer.words(texts[i]).join(" "), terms, lexical: documentWeights(terms) };
    }),
    indexTexts,
  };
}

/** Synthetic copies of the sources, `copy` numbering them, built the way ingest builds chunks. */
export async function synthesize(deps: ScaleDeps, sources: Source[], copy: number): Promise<Array<Required<Source>>> {
  const out: Array<Required<Source>> = [];
  for (const source of sources) {
    const { policy, chunks, indexTexts } = varyPolicy(deps, source, copy);
    const vectors = await deps.embedder.embedDocuments(indexTexts);
    out.push({ policy, chunks, vectors: [{ model: deps.embedder.modelName, embeddings: vectors.map(toVectorLiteral) }] });
  }
  return out;
}

export async function chunkCount(deps: { db: Db }): Promise<number> {
  return (await libraryCounts(deps.db)).chunks;
}

/**
 * Grows the library to at least `target` chunks with synthetic copies of
 * `sources`; the HNSW index is dropped for the load and rebuilt after it,
 * as a bulk load would. Returns the load and index-build times.
 */
export async function growTo(deps: ScaleDeps, sources: Source[], target: number, firstCopy: number, batch = 200) {
  const dims = deps.embedder.dimensions ?? 1024;
  await dropVectorIndex(deps.db, deps.embedder.modelName, dims);
  let copy = firstCopy;
  let n = await chunkCount(deps);
  const t0 = performance.now();
  while (n < target) {
    const copies = await synthesize(deps, sources, copy++);
    for (let i = 0; i < copies.length && n < target; i += batch) {
      const slice = copies.slice(i, i + batch);
      await insertPolicies(deps.db, slice);
      n += slice.reduce((a, s) => a + s.chunks.length, 0);
    }
  }
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  // The graph of 100k vectors needs more than the default 64 MB to build in memory.
  await buildVectorIndex(deps.db, deps.embedder.modelName, dims, "1GB");
  await analyzeVectors(deps.db, true);
  return { chunks: n, nextCopy: copy, loadMs, indexMs: performance.now() - t1 };
}
