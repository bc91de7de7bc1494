import { createHash } from "node:crypto";
import { open, readdir, stat } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { kickDeliveries, queueNotifications } from "../companies/notify.js";
import type { Db } from "../db/db.js";
import { toVectorLiteral } from "../db/db.js";
import {
  analyzeLibrary,
  deletePolicy,
  expirePastPolicies,
  getPolicyHashes,
  listPolicySourceFiles,
  recordIngestRun,
  replacePolicy,
  updatePolicyCriteria,
} from "../db/policy-store.js";
import { ensureVectorIndex, type ModelVectors, registerModel } from "../db/vector-store.js";
import type { JobPool } from "../jobs/job.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import { fnv1a32 } from "../lib/hash.js";
import type { Logger } from "../lib/logger.js";
import type { ChatClient } from "../llm/chat-model.js";
import type { Embedder } from "../llm/embeddings.js";
import { extractCriteria, type PolicyCriteria } from "../policies/criteria.js";
import { refineCriteria } from "../policies/criteria-refine.js";
import type { ChunkRecord, PolicyRecord } from "../policies/policy.js";
import { type PolicyStructure, READING_RULES, readStructure } from "../policies/structure.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import { writeEmbedders } from "../retrieval/embedding-models.js";
import { chunkIndexText, documentWeights } from "../retrieval/lexical.js";
import type { Limits } from "../settings.js";
import { chunkPolicyText } from "./chunk.js";
import { formatOf, LoadError, loadDocument } from "./loaders.js";
import { extractMetadata } from "./metadata.js";

/**
 * Bumped when parsing or chunking changes, so every file is re-indexed once.
 * Criteria and structure need no bump: they are re-derived whenever READING_RULES changes.
 */
export const PIPELINE_VERSION = "8";

export type IngestDeps = {
  db: Db;
  embedder: Embedder;
  analyzer: Analyzer;
  clock: Clock;
  chat?: ChatClient;
  logger?: Logger;
  nextEmbedder?: Embedder;
  /** Where the deliveries a change causes are run (absent: they wait for a process that has one). */
  jobs?: JobPool;
  limits?: Limits;
};

/**
 * The largest file any ingest path takes (CLI, folders, URLs, uploads):
 * UPLOAD_MAX_BYTES when the deps carry it. A bigger file is refused before it
 * is read.
 */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1_048_576;
/**
 * The most characters of text one policy may have, whatever its file size (a
 * compressed DOCX or PDF can hold far more text than its bytes): some 7,700
 * chunks, over ten times the longest real policy we know. It bounds the memory
 * a policy takes to index (README, Staff).
 */
export const MAX_POLICY_CHARS = 2_000_000;
/** Texts embedded per call when the embedder does not say (remote ones send batch size × concurrency). */
const EMBED_WAVE = 256;
export type FileOutcome =
  | { file: string; id: string; status: "added" | "updated" | "unchanged"; chunks: number }
  | { file: string; id: string; status: "failed"; reason: string; message: string };
export type IngestSummary = {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  /** Unchanged documents whose criteria were re-derived, stored as they were under other rules. */
  rederived: number;
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
  /** Re-index documents even when their content is unchanged. */
  force?: boolean;
  /** How documents named by URL are fetched (limits); required when urls are given. */
  fetchLimits?: FetchLimits;
  /** The largest file taken (default: the deps' UPLOAD_MAX_BYTES, else DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /** The fingerprint of the reading rules (default READING_RULES); criteria and structure stored under another are re-derived. */
  criteriaRules?: string;
};
export type FetchLimits = { maxBytes: number; timeoutMs: number };

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

/**
 * A fetched document's id: its last path segment (or the host) made readable,
 * plus a hash of the whole URL, so detail.jsp?id=1 and ?id=2, or two sites'
 * index.html, never collide with each other or with a file's id.
 */
export function urlPolicyId(url: string): string {
  const u = new URL(url);
  const last = u.pathname.split("/").filter(Boolean).at(-1);
  return `${policyIdFor(last ?? u.hostname)}-${fnv1a32(u.href).toString(36)}`;
}

export function policyIdFor(file: string): string {
  return basename(file, extname(file)).replace(/[^\p{L}\p{N}_.-]+/gu, "_");
}

/**
 * A document to index: where it came from (a path, a URL, or a name for
 * documents held in memory) and its bytes; `name`, when read returns one,
 * gives the format (a URL whose path has no extension).
 */
export type SourceDocument = { id: string; file: string; read: () => Promise<Uint8Array | { bytes: Uint8Array; name: string }> };

export function ingestPaths(deps: IngestDeps, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  return ingestLocations(deps, { paths, urls: [] }, options);
}

/** Indexes folders and files the server can read, and documents fetched from URLs. */
export async function ingestLocations(deps: IngestDeps, where: { paths: string[]; urls: string[] }, options: IngestOptions = {}): Promise<IngestSummary> {
  const { files, folders } = await collectFiles(where.paths);
  const maxBytes = maxFileBytesOf(deps, options);
  const docs: SourceDocument[] = files.map((file) => ({ id: policyIdFor(file), file, read: () => readFileWithin(file, maxBytes) }));
  if (where.urls.length && !options.fetchLimits) throw new Error("fetchLimits are required to index URLs");
  for (const url of where.urls) docs.push({ id: urlPolicyId(url), file: url, read: () => fetchDocument(url, options.fetchLimits!) });
  return ingestSources(deps, docs, [...where.paths, ...where.urls].join(", "), options.prune ? folders : [], options);
}

function maxFileBytesOf(deps: IngestDeps, options: IngestOptions): number {
  return options.maxFileBytes ?? deps.limits?.uploadMaxBytes ?? DEFAULT_MAX_FILE_BYTES;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function tooLarge(what: string, size: number | null, maxBytes: number): LoadError {
  const got = size === null ? "more than" : `${size} bytes (${mb(size)}), over`;
  return new LoadError("too_large", `${what} is ${got} the limit of ${maxBytes} bytes (${mb(maxBytes)}) per file (UPLOAD_MAX_BYTES)`);
}

/** Reads a file of at most maxBytes; a bigger one is refused by its size, before any of it is read. */
export async function readFileWithin(file: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(file);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(file, size, maxBytes);
    const bytes = new Uint8Array(size);
    let at = 0;
    // A file that grows meanwhile is read to the size it had: never past the limit.
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

const FORMAT_BY_TYPE: Record<string, string> = {
  "text/html": ".html",
  "application/xhtml+xml": ".html",
  "text/plain": ".txt",
  "text/markdown": ".md",
  "application/pdf": ".pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
};

/** Fetches one policy document, refusing redirects (they could leave the allowed prefixes) and oversize bodies. */
export async function fetchDocument(url: string, limits: FetchLimits): Promise<{ bytes: Uint8Array; name: string }> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (err) {
    throw new LoadError("fetch_failed", `could not fetch ${url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new LoadError("fetch_failed", `${url} answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw tooLarge(url, declared, limits.maxBytes);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  // Node's web streams are async-iterable; the DOM typings do not say so.
  for await (const part of (res.body ?? new ReadableStream()) as unknown as AsyncIterable<Uint8Array>) {
    size += part.byteLength;
    // Leaving the loop cancels the stream: the rest is never downloaded.
    if (size > limits.maxBytes) throw tooLarge(url, null, limits.maxBytes);
    parts.push(part);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) bytes.set(part, at), (at += part.byteLength);
  const path = new URL(url).pathname;
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const name = formatOf(path) ? basename(path) : `${basename(path) || "index"}${FORMAT_BY_TYPE[type] ?? ""}`;
  return { bytes, name };
}

/** Indexes documents held in memory (e.g. an evaluation corpus); `name` gives the format by its extension. */
export function ingestDocuments(deps: IngestDeps, docs: Array<{ id: string; name: string; bytes: Uint8Array }>, options: IngestOptions = {}) {
  const sources = docs.map((d) => ({ id: d.id, file: d.name, read: async () => d.bytes }));
  return ingestSources(deps, sources, `${docs.length} documents in memory`, [], options);
}

type Prepared =
  | { kind: "unchanged" }
  | { kind: "rederived"; criteria: PolicyCriteria; structure: PolicyStructure }
  | { kind: "failed"; reason: string; message: string }
  | ({ kind: "built" } & Awaited<ReturnType<typeof buildPolicy>>);

async function ingestSources(deps: IngestDeps, docs: SourceDocument[], label: string, pruneFolders: string[], options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const known = await getPolicyHashes(
    deps.db,
    docs.map((d) => d.id),
  );
  const outcomes: FileOutcome[] = [];
  const seen = new Map<string, string>();
  const vectorDims = new Map<string, number>();
  const maxBytes = maxFileBytesOf(deps, options);
  const rules = options.criteriaRules ?? READING_RULES;
  let rederived = 0;

  // Parsing and embedding the next document overlaps with storing the current one.
  const prepare = async ({ id, file, read }: SourceDocument): Promise<Prepared> => {
    if (seen.has(id)) return { kind: "failed", reason: "duplicate_id", message: `same policy id "${id}" as ${seen.get(id)}` };
    seen.set(id, file);
    try {
      const got = await read();
      const [bytes, name] = got instanceof Uint8Array ? [got, file] : [got.bytes, got.name];
      if (bytes.byteLength > maxBytes) throw tooLarge(file, bytes.byteLength, maxBytes);
      const hash = contentHash(bytes, indexVersionOf(deps));
      const stored = known.get(id);
      if (stored?.contentHash === hash && !options.force) {
        if (stored.criteriaRules === rules) return { kind: "unchanged" };
        // Only the rules changed: the criteria are read again, the chunks and their vectors stay.
        const doc = await loadDocument(name, bytes);
        const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: policyIdFor(name) });
        return { kind: "rederived", criteria: await policyCriteria(deps, doc.text, meta), structure: readStructure(doc.text) };
      }
      return { kind: "built", ...(await buildPolicy(deps, id, name, bytes, hash, file, rules)) };
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
    else if (prepared.kind === "rederived") {
      try {
        await updatePolicyCriteria(deps.db, id, prepared.criteria, prepared.structure, rules);
        rederived++;
        outcome = { file, id, status: "unchanged", chunks: 0 };
      } catch (err) {
        outcome = { file, id, status: "failed", reason: "error", message: (err as Error).message };
      }
    } else {
      try {
        await replacePolicy(deps.db, prepared.policy, prepared.chunks, prepared.vectors);
        for (const v of prepared.vectors) if (v.embeddings[0] && !vectorDims.has(v.model)) vectorDims.set(v.model, v.embeddings[0].split(",").length);
        outcome = { file, id, status: known.has(id) ? "updated" : "added", chunks: prepared.chunks.length };
      } catch (err) {
        outcome = { file, id, status: "failed", reason: "error", message: (err as Error).message };
      }
    }
    outcomes.push(outcome);
    await options.onProgress?.(i + 1, docs.length, outcome);
  }
  // Built once after a bulk load rather than grown row by row: several times faster on a fresh library.
  for (const [model, dims] of vectorDims) {
    await ensureVectorIndex(deps.db, model, dims, deps.db.kind === "postgres");
    await registerModel(deps.db, model, dims);
  }

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
    added: count("added"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    removed: removedIds.length,
    rederived,
    failed: failures.length,
    failures,
    removedIds,
    files: outcomes,
    ms: Date.now() - started,
  };
  // New and changed policies reach the companies subscribed to them; delivery runs on without ingest waiting.
  const changed = outcomes.filter((o) => o.status === "added" || o.status === "updated").map((o) => o.id);
  try {
    if (changed.length && (await queueNotifications(deps, changed)) > 0) kickDeliveries(deps);
  } catch (err) {
    // The policies are stored; subscribers hearing late is no reason to fail the run.
    deps.logger?.error("queueing subscription notifications failed", { message: (err as Error).message });
  }
  // A run is also the moment to retire what has passed its date.
  await expirePastPolicies(deps.db, todayInChina(deps.clock));
  await recordIngestRun(deps.db, { source: label, ...summary });
  if (summary.added + summary.updated + summary.removed > 0) await analyzeLibrary(deps.db);
  return summary;
}

/**
 * What besides the bytes decides a policy's index: the chat model, when it
 * refines criteria. Not the embedding model: vectors are kept per model, and a
 * new model's are filled in by a switch job, not by re-reading every file.
 */
function indexVersionOf(deps: IngestDeps): string {
  return deps.chat?.refineCriteria ? `criteria:${deps.chat.name}` : "";
}

function contentHash(bytes: Uint8Array, version: string): string {
  return createHash("sha256").update(bytes).update(`\0${PIPELINE_VERSION}\0${version}`).digest("hex");
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

/** A document's criteria: read by the rules, refined by the chat model when configured to. */
function policyCriteria(deps: IngestDeps, text: string, meta: { regionPath: string[]; title: string }): Promise<PolicyCriteria> {
  return refinedCriteria(deps, criteriaOrNone(text, meta.regionPath, meta.title), meta.title);
}

/** Parses one file into a policy row and its chunks, embeddings included. Pure apart from the embedder. */
export async function buildPolicy(deps: IngestDeps, id: string, file: string, bytes: Uint8Array, hash: string, source = file, criteriaRules = READING_RULES) {
  const doc = await loadDocument(file, bytes);
  if (doc.text.length > MAX_POLICY_CHARS) {
    throw new LoadError(
      "too_large",
      `${source}: its text has ${doc.text.length} characters, over the limit of ${MAX_POLICY_CHARS} per policy: split the document`,
    );
  }
  const meta = extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: policyIdFor(file) });
  const pieces = await chunkPolicyText(doc.text, { title: meta.title });
  const indexTexts = pieces.map((c) => chunkIndexText(meta.title, c.heading, c.text));
  const vectors: ModelVectors[] = [];
  if (pieces.length) {
    for (const embedder of writeEmbedders(deps)) {
      // A wave at a time: only the vector literals are kept, never every chunk's array of numbers at once.
      const embeddings: string[] = [];
      const wave = embedder.wave ?? EMBED_WAVE;
      for (let i = 0; i < indexTexts.length; i += wave) {
        for (const v of await embedder.embedDocuments(indexTexts.slice(i, i + wave))) embeddings.push(toVectorLiteral(v));
      }
      vectors.push({ model: embedder.modelName, embeddings });
    }
  }
  const today = todayInChina(deps.clock);
  const status = meta.status ?? (meta.validUntil && meta.validUntil < today ? "expired" : "active");
  const chunks: ChunkRecord[] = pieces.map((c, i) => {
    const terms = deps.analyzer.terms(indexTexts[i]);
    return {
      id: `${id}#${c.position}`,
      position: c.position,
      heading: c.heading,
      text: c.text,
      words: deps.analyzer.words(c.text).join(" "),
      // Each term once: the weights have counted repeats, storage and statistics need each term once.
      terms: [...new Set(terms)],
      lexical: documentWeights(terms),
    };
  });
  const policy: PolicyRecord = {
    id,
    ...meta,
    sourceFile: source,
    format: doc.format,
    contentHash: hash,
    status,
    // The document's own bytes: what a policy "version" means to subscribers, whatever the pipeline version.
    meta: { ...doc.meta, sourceSha256: createHash("sha256").update(bytes).digest("hex") },
    textChars: doc.text.length,
    chunkCount: chunks.length,
    criteria: await policyCriteria(deps, doc.text, meta),
    structure: readStructure(doc.text),
    criteriaRules,
  };
  return { policy, chunks, vectors };
}
