/**
 * The reference retriever of `../shared/eval/BASELINES.md`: plain BM25 over
 * words and Han bigrams, written apart from the service's retrieval code so
 * that it stays the floor every later change is measured against. No
 * expansion, no filters, no gate. Only the analyzer's tokens are shared.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { splitFrontMatter } from "../ingest/loaders.js";

export type ReferenceDocument = { id: string; title: string; body: string };
export type ReferenceHit = { id: string; score: number };
/** Words of a text (punctuation dropped); Han bigrams are added here. */
export type Tokenize = (text: string) => string[];

export const BM25 = { k1: 1.2, b: 0.75 } as const;
export const MAX_CHUNK_CHARS = 500;

const HAN_RUN = /\p{Script=Han}+/gu;
/** Bigrams live in their own namespace, so the bigram 研发 never counts as the word 研发. */
const BIGRAM = "\u0001";

/** PDF cards break lines mid-word: a line break between two Han characters is removed. */
export function joinHanLines(text: string): string {
  return text.replace(/(\p{Script=Han})[ \t]*\r?\n[ \t]*(?=\p{Script=Han})/gu, "$1");
}

/** The front matter block between two `---` lines at the very start, removed. */
export function stripFrontMatter(raw: string): string {
  const m = /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(raw);
  return m ? raw.slice(m[0].length) : raw;
}

/**
 * Paragraphs (separated by blank lines) packed greedily into chunks of at most
 * `max` characters, joined by a line break; a paragraph longer than `max` is
 * cut into `max`-sized pieces.
 */
export function packParagraphs(body: string, max = MAX_CHUNK_CHARS): string[] {
  const paragraphs = body
    .split(/\r?\n[ \t\u3000]*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const chunks: string[] = [];
  let current = "";
  const flush = () => {
    if (current) chunks.push(current);
    current = "";
  };
  for (const p of paragraphs) {
    if (p.length > max) {
      flush();
      for (let i = 0; i < p.length; i += max) chunks.push(p.slice(i, i + max));
      continue;
    }
    if (current && current.length + 1 + p.length > max) flush();
    current = current ? `${current}\n${p}` : p;
  }
  flush();
  return chunks;
}

/**
 * Index terms of a text, after removing line breaks between Han characters:
 * the analyzer's words, plus each pair of adjacent Han characters as a bigram term.
 */
export function referenceTerms(tokenize: Tokenize, text: string): string[] {
  const joined = joinHanLines(text);
  const out = tokenize(joined);
  for (const run of joined.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.push(BIGRAM + run[i] + run[i + 1]);
  }
  return out;
}

/** Lucene's BM25 idf: ln(1 + (N − df + 0.5) / (df + 0.5)). */
export const luceneIdf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

export type ReferenceIndex = {
  chunks: number;
  search(query: string, k?: number): ReferenceHit[];
};

/**
 * Indexes each document as chunks of "title, line break, chunk" and ranks
 * documents by their best chunk's BM25 score. Ties keep corpus order.
 */
export function createReferenceIndex(docs: ReferenceDocument[], tokenize: Tokenize, options: { maxChunkChars?: number } = {}): ReferenceIndex {
  const chunkDoc: number[] = [];
  const lengths: number[] = [];
  /** term → [chunk, term frequency] pairs */
  const postings = new Map<string, Array<[number, number]>>();
  docs.forEach((d, doc) => {
    for (const piece of packParagraphs(joinHanLines(d.body), options.maxChunkChars)) {
      const chunk = chunkDoc.length;
      const terms = referenceTerms(tokenize, `${d.title}\n${piece}`);
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, f] of tf) {
        let list = postings.get(t);
        if (!list) postings.set(t, (list = []));
        list.push([chunk, f]);
      }
      chunkDoc.push(doc);
      lengths.push(terms.length);
    }
  });
  const n = chunkDoc.length;
  const avgLength = n ? lengths.reduce((s, l) => s + l, 0) / n : 0;

  return {
    chunks: n,
    search(query, k = 10) {
      const scores = new Float64Array(n);
      // Each query term once: a word repeated in the question does not weigh more.
      for (const t of new Set(referenceTerms(tokenize, query))) {
        const list = postings.get(t);
        if (!list) continue;
        const idf = luceneIdf(n, list.length);
        for (const [chunk, f] of list) {
          const norm = BM25.k1 * (1 - BM25.b + (BM25.b * lengths[chunk]) / avgLength);
          scores[chunk] += (idf * (f * (BM25.k1 + 1))) / (f + norm);
        }
      }
      const best = new Map<number, number>();
      scores.forEach((score, chunk) => {
        if (score > (best.get(chunkDoc[chunk]) ?? 0)) best.set(chunkDoc[chunk], score);
      });
      return [...best]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([doc, score]) => ({ id: docs[doc].id, score }));
    },
  };
}

const READABLE = new Set([".md", ".txt"]);

/** A corpus folder as the reference reads it: front matter removed, its title (else the first heading, else nothing) kept apart. */
export async function readReferenceCorpus(corpus: string): Promise<ReferenceDocument[]> {
  const files = (await readdir(corpus)).filter((f) => READABLE.has(extname(f).toLowerCase())).sort();
  return Promise.all(
    files.map(async (f) => {
      const raw = await readFile(join(corpus, f), "utf8");
      const body = stripFrontMatter(raw);
      const title = splitFrontMatter(raw).meta.title;
      const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
      return { id: f.slice(0, -extname(f).length), title: typeof title === "string" && title.trim() ? title.trim() : (heading ?? ""), body };
    }),
  );
}
