/**
 * How well the ingest pipeline reads a document's own metadata: each corpus
 * file is loaded with its front matter removed, the extractor reads title,
 * 文号, issuer and date from the text alone, and the front matter is the answer.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { policyIdFor } from "../ingest/ingest.js";
import { loadDocument, splitFrontMatter } from "../ingest/loaders.js";
import { extractMetadata, parseDate } from "../ingest/metadata.js";
import { PARTS, type Part, partOf } from "./split.js";

export const METADATA_FIELDS = ["title", "docNumber", "issuer", "date"] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export type FieldScore = {
  /** Documents whose front matter gives the field. */
  documents: number;
  correct: number;
  /** null when no document's front matter gives the field */
  accuracy: number | null;
  /** Documents without the field in front matter for which something was extracted anyway. */
  spurious: number;
  /** Of `documents`, those whose text itself states the front matter's value (the rest cannot be read from the text at all). */
  stated: number;
  statedCorrect: number;
  /** Accuracy on the documents whose text states the value: what reading the text can reach. */
  statedAccuracy: number | null;
};
export type MetadataReport = Record<MetadataField, number | null> & {
  documents: number;
  fields: Record<MetadataField, FieldScore>;
  /** The same figures on the documents of each part of the split (by document id). */
  split: Record<Part, Record<MetadataField, FieldScore>>;
  misses: Array<{ id: string; field: MetadataField; expected: string | null; got: string | null }>;
};

/** Whitespace removed and full-width forms folded (NFKC), so that 12 号 = 12号 and （ = (. */
export const normalizeField = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null);
const isoOf = (v: unknown): string | null => (v instanceof Date ? v.toISOString().slice(0, 10) : null);

/** A law is cited without the state's name: 《中华人民共和国专利法》 is 《专利法》. */
const foldTitle = (s: string) => normalizeField(s).replace(/(^|《)中华人民共和国/g, "$1");
/** Several issuers are a set, however they are joined (、, ；, spaces) and in whatever order. */
const issuerSet = (s: string) =>
  [
    ...new Set(
      s
        .normalize("NFKC")
        .split(/[、，,；;\s]+/)
        .filter(Boolean),
    ),
  ]
    .sort()
    .join("、");

/**
 * Whether a value read from the text is the front matter's. Front matter that
 * lists several basis documents (京商财务字〔2022〕16 号/京商财务字〔2022〕22 号,
 * 2022-08-08/2020-04-08) is answered by any one of them, exactly.
 */
export function sameField(field: MetadataField, expected: string, extracted: string): boolean {
  const alternatives =
    field === "title"
      ? [expected]
      : expected
          .split("/")
          .map((a) => a.trim())
          .filter(Boolean);
  return alternatives.some((a) => {
    if (field === "date") return parseDate(a) === extracted;
    if (field === "title") return foldTitle(a) === foldTitle(extracted);
    if (field === "issuer") return issuerSet(a) === issuerSet(extracted);
    return normalizeField(a) === normalizeField(extracted);
  });
}

const emptyScores = () =>
  Object.fromEntries(
    METADATA_FIELDS.map((f) => [f, { documents: 0, correct: 0, accuracy: 0, spurious: 0, stated: 0, statedCorrect: 0, statedAccuracy: null }]),
  ) as Record<MetadataField, FieldScore>;

/** Whether a text states a front-matter value: one of its alternatives, as written (a date in either of its usual forms). */
function statesValue(field: MetadataField, text: string, expected: string): boolean {
  const flat = normalizeField(text);
  return expected
    .split(field === "title" ? /$^/ : "/")
    .map((a) => a.trim())
    .filter(Boolean)
    .some((a) => {
      if (field !== "date") return flat.includes(field === "issuer" ? normalizeField(a.split(/[、，,；;\s]+/)[0]) : normalizeField(a));
      const iso = parseDate(a);
      if (!iso) return false;
      const [y, m, d] = iso.split("-").map(Number);
      return flat.includes(`${y}年${m}月${d}日`) || flat.includes(iso);
    });
}

export async function evaluateMetadata(corpus: string): Promise<MetadataReport> {
  const files = (await readdir(corpus)).filter((f) => f.endsWith(".md")).sort();
  const fields = emptyScores();
  const split = { tune: emptyScores(), check: emptyScores() } as Record<Part, Record<MetadataField, FieldScore>>;
  const misses: MetadataReport["misses"] = [];
  for (const file of files) {
    const id = policyIdFor(file);
    const { meta, body } = splitFrontMatter(await readFile(join(corpus, file), "utf8"));
    const doc = await loadDocument(file, new TextEncoder().encode(body));
    const got = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: id });
    const pairs: Record<MetadataField, [string | null, string | null]> = {
      title: [text(meta.title), got.title],
      docNumber: [text(meta.doc_no), got.docNumber],
      issuer: [text(meta.issuer), got.issuer],
      date: [isoOf(meta.date) ?? text(meta.date), got.publishedAt],
    };
    for (const field of METADATA_FIELDS) {
      const [expected, extracted] = pairs[field];
      const same = expected !== null && extracted !== null && sameField(field, expected, extracted);
      for (const score of [fields[field], split[partOf(id)][field]]) {
        if (expected === null) {
          if (extracted !== null) score.spurious++;
          continue;
        }
        score.documents++;
        if (same) score.correct++;
        if (statesValue(field, doc.text, expected)) {
          score.stated++;
          if (same) score.statedCorrect++;
        }
      }
      if (expected !== null && !same) misses.push({ id, field, expected, got: extracted });
    }
  }
  for (const scores of [fields, ...PARTS.map((p) => split[p])]) {
    for (const field of METADATA_FIELDS) {
      const f = scores[field];
      f.accuracy = f.documents ? f.correct / f.documents : null;
      f.statedAccuracy = f.stated ? f.statedCorrect / f.stated : null;
    }
  }
  return {
    title: fields.title.accuracy,
    docNumber: fields.docNumber.accuracy,
    issuer: fields.issuer.accuracy,
    date: fields.date.accuracy,
    documents: files.length,
    fields,
    split,
    misses,
  };
}
