import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import type { Deps } from "../deps.js";
import { toVectorLiteral } from "../db/db.js";
import {
  deletePolicy, ensureVectorIndex, expirePastPolicies, getPolicyHashes, listPolicySourceFiles, recordIngestRun, replacePolicy,
  type ChunkRecord, type PolicyRecord,
} from "../db/policy-store.js";
import { documentWeights } from "../retrieval/lexical.js";
import { chunkPolicyText } from "./chunk.js";
import { formatOf, LoadError, loadDocument } from "./loaders.js";
import { extractMetadata } from "./metadata.js";
import { extractCriteria, type PolicyCriteria } from "../policies/criteria.js";
import { refineCriteria } from "../policies/criteria-refine.js";

/** Bumped when parsing or chunking changes, so every file is re-indexed once. */
export const PIPELINE_VERSION = "3";

export type IngestDeps = Pick<Deps, "db" | "embedder" | "analyzer" | "clock"> & Partial<Pick<Deps, "chat" | "logger">>;
export type FileOutcome =
  | { file: string; id: string; status: "added" | "updated" | "unchanged"; chunks: number }
  | { file: string; id: string; status: "failed"; reason: string; message: string };
export type IngestSummary = {
  added: number; updated: number; unchanged: number; removed: number; failed: number;
  failures: Array<{ file: string; reason: string; message: string }>;
  removedIds: string[];
  files: FileOutcome[];
  ms: number;
};
export type IngestOptions = {
  /** Delete policies whose source file lies under one of the given folders but no longer exists. */
  prune?: boolean;
  onProgress?: (done: number, total: number, outcome: FileOutcome) => void | Promise<void>;
  /** Stops between documents: what is stored stays, what is not yet reached is left for a later run. */
  signal?: AbortSignal;
};

/** Expands folders (recursively) into the supported files they hold; named files are kept as they are. */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; folders: string[] }> {
  const files: string[] = [];
  const folders: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    const s = await stat(abs);
    if (s.isDirectory()) {
      folders.push(abs);
      const entries = await readdir(abs, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        const full = join(e.parentPath ?? abs, e.name);
        if (e.isFile() && formatOf(e.name) && !e.name.startsWith(".")) files.push(full);
      }
    } else files.push(abs);
  }
  return { files: [...new Set(files)].sort(), folders };
}

export function policyIdFor(file: string): string {
  return basename(file, extname(file)).replace(/[^\p{L}\p{N}_.-]+/gu, "_");
}

/** A document to index: where it came from (a path, or a name for documents held in memory) and its bytes. */
export type SourceDocument = { id: string; file: string; read: () => Promise<Uint8Array> };

export async function ingestPaths(deps: IngestDeps, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const { files, folders } = await collectFiles(paths);
  const docs = files.map((file) => ({ id: policyIdFor(file), file, read: () => readFile(file) }));
  return ingestSources(deps, docs, paths.join(", "), options.prune ? folders : [], options);
}

/** Indexes documents held in memory (e.g. an evaluation corpus); `name` gives the format by its extension. */
export function ingestDocuments(deps: IngestDeps, docs: Array<{ id: string; name: string; bytes: Uint8Array }>, options: IngestOptions = {}) {
  const sources = docs.map((d) => ({ id: d.id, file: d.name, read: async () => d.bytes }));
  return ingestSources(deps, sources, `${docs.length} documents in memory`, [], options);
}

type Prepared =
  | { kind: "unchanged" }
  | { kind: "failed"; reason: string; message: string }
  | ({ kind: "built" } & Awaited<ReturnType<typeof buildPolicy>>);

async function ingestSources(
  deps: IngestDeps, docs: SourceDocument[], label: string, pruneFolders: string[], options: IngestOptions,
): Promise<IngestSummary> {
  const started = Date.now();
  const known = await getPolicyHashes(deps.db, docs.map((d) => d.id));
  const outcomes: FileOutcome[] = [];
  const seen = new Map<string, string>();
  let vectorDims = 0;

  // Parsing and embedding the next document overlaps with storing the current one.
  const prepare = async ({ id, file, read }: SourceDocument): Promise<Prepared> => {
    if (seen.has(id)) return { kind: "failed", reason: "duplicate_id", message: `same policy id "${id}" as ${seen.get(id)}` };
    seen.set(id, file);
    try {
      const bytes = await read();
      const hash = contentHash(bytes, indexVersionOf(deps));
      if (known.get(id) === hash) return { kind: "unchanged" };
      return { kind: "built", ...(await buildPolicy(deps, id, file, bytes, hash)) };
    } catch (err) {
      return { kind: "failed", reason: err instanceof LoadError ? err.reason : "error", message: (err as Error).message };
    }
  };
  let next = docs.length ? prepare(docs[0]) : null;
  for (const [i, { id, file }] of docs.entries()) {
    if (options.signal?.aborted) break;
    const prepared = await next!;
    next = i + 1 < docs.length ? prepare(docs[i + 1]) : null;
    let outcome: FileOutcome;
    if (prepared.kind === "failed") outcome = { file, id, status: "failed", reason: prepared.reason, message: prepared.message };
    else if (prepared.kind === "unchanged") outcome = { file, id, status: "unchanged", chunks: 0 };
    else {
      try {
        await replacePolicy(deps.db, prepared.policy, prepared.chunks, deps.embedder.modelName);
        vectorDims ||= prepared.chunks[0]?.embedding?.split(",").length ?? 0;
        outcome = { file, id, status: known.has(id) ? "updated" : "added", chunks: prepared.chunks.length };
      } catch (err) {
        outcome = { file, id, status: "failed", reason: "error", message: (err as Error).message };
      }
    }
    outcomes.push(outcome);
    await options.onProgress?.(i + 1, docs.length, outcome);
  }
  // Built once after a bulk load rather than grown row by row: several times faster on a fresh library.
  if (vectorDims) await ensureVectorIndex(deps.db, deps.embedder.modelName, vectorDims);

  const removedIds: string[] = [];
  if (pruneFolders.length && !options.signal?.aborted) {
    const present = new Set(docs.map((d) => d.file));
    for (const row of await listPolicySourceFiles(deps.db)) {
      const inFolder = row.sourceFile && pruneFolders.some((f) => row.sourceFile!.startsWith(f + "/"));
      if (inFolder && !present.has(row.sourceFile!) && (await deletePolicy(deps.db, row.id))) removedIds.push(row.id);
    }
  }

  const count = (s: FileOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  const failures = outcomes.flatMap((o) => (o.status === "failed" ? [{ file: o.file, reason: o.reason, message: o.message }] : []));
  const summary: IngestSummary = {
    added: count("added"), updated: count("updated"), unchanged: count("unchanged"), removed: removedIds.length,
    failed: failures.length, failures, removedIds, files: outcomes, ms: Date.now() - started,
  };
  // A run is also the moment to retire what has passed its date.
  await expirePastPolicies(deps.db, deps.clock.now().toISOString().slice(0, 10));
  await recordIngestRun(deps.db, { source: label, ...summary });
  // Fresh statistics, or the planner keeps estimating an empty table and skips the indexes.
  if (summary.added + summary.updated + summary.removed > 0) await deps.db.query("ANALYZE policies, chunks, term_stats");
  return summary;
}

/** What besides the bytes decides a policy's index: the embedding model and, when it refines criteria, the chat model. */
function indexVersionOf(deps: IngestDeps): string {
  return deps.chat?.refineCriteria ? `${deps.embedder.modelName}+criteria:${deps.chat.name}` : deps.embedder.modelName;
}

function contentHash(bytes: Uint8Array, model: string): string {
  return createHash("sha256").update(bytes).update(`\0${PIPELINE_VERSION}\0${model}`).digest("hex");
}

/**
 * A policy whose conditions cannot be read is still searchable: it is indexed
 * with no criteria, which eligibility reports as «cannot tell», never as «eligible».
 */
function criteriaOrNone(text: string, regionPath: string[], title: string): PolicyCriteria {
  try {
    return extractCriteria(text, { policyRegionPath: regionPath, title });
  } catch {
    return { common: [], programmes: [] };
  }
}

/** The rules' criteria, refined by the chat model when configured to; any failure keeps the rules' own. */
async function refinedCriteria(deps: IngestDeps, criteria: PolicyCriteria, title: string): Promise<PolicyCriteria> {
  if (!deps.chat?.refineCriteria) return criteria;
  try {
    const refined = await refineCriteria(deps.chat, criteria, title, AbortSignal.timeout(deps.chat.timeoutMs));
    if (refined.proposed) deps.logger?.info("criteria refined by the model", { title, proposed: refined.proposed, accepted: refined.accepted });
    return refined.criteria;
  } catch (err) {
    deps.logger?.warn("criteria refinement failed; keeping the rules' criteria", { title, message: (err as Error).message });
    return criteria;
  }
}

/** Parses one file into a policy row and its chunks, embeddings included. Pure apart from the embedder. */
export async function buildPolicy(deps: IngestDeps, id: string, file: string, bytes: Uint8Array, hash: string) {
  const doc = await loadDocument(file, bytes);
  const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: policyIdFor(file) });
  const pieces = await chunkPolicyText(doc.text, { title: meta.title });
  const indexTexts = pieces.map((c) => `${meta.title}\n${c.heading ?? ""}\n${c.text}`);
  const vectors = pieces.length ? await deps.embedder.embedDocuments(indexTexts) : [];
  const today = deps.clock.now().toISOString().slice(0, 10);
  const status = meta.status ?? (meta.validUntil && meta.validUntil < today ? "expired" : "active");
  const chunks: ChunkRecord[] = pieces.map((c, i) => {
    const terms = deps.analyzer.terms(indexTexts[i]);
    return {
      id: `${id}#${c.position}`,
      position: c.position,
      heading: c.heading,
      text: c.text,
      words: deps.analyzer.words(c.text).join(" "),
      terms,
      lexical: documentWeights(terms),
      embedding: vectors[i] ? toVectorLiteral(vectors[i]) : null,
    };
  });
  const policy: PolicyRecord = {
    id,
    ...meta,
    sourceFile: file,
    format: doc.format,
    contentHash: hash,
    status,
    meta: doc.meta,
    textChars: doc.text.length,
    chunkCount: chunks.length,
    criteria: await refinedCriteria(deps, criteriaOrNone(doc.text, meta.regionPath, meta.title), meta.title),
  };
  return { policy, chunks };
}
