/**
 * Speed, measured side by side in one run:
 *   npm run bench -- [--json out.json] [--scale 100000] [--quick]
 * Ingest throughput, hybrid retrieval latency from the corpus to a scaled
 * library, HTTP load against a bare route (the ceiling), LangChain's
 * PGVectorStore as the baseline, the service's own time before an LLM
 * answer's first token, event-loop lag on PGlite, the in-memory lexical
 * index beside its exhaustive reference, and peak memory.
 * PostgreSQL is measured too when DATABASE_URL is set.
 */

import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApiKey } from "../src/access/keys.js";
import { prepareAnswer, profileForTurn, retrieveForQuestion } from "../src/answer/answer.js";
import { passagesText } from "../src/answer/model-answer.js";
import { createApp } from "../src/app.js";
import { createBaselineStore } from "../src/bench/baseline.js";
import { latencyChart, type Series } from "../src/bench/chart.js";
import { generateCompanies } from "../src/bench/companies.js";
import { type DistinctLoadResult, type LoadRequest, type LoadResult, load, loadDistinct } from "../src/bench/http.js";
import { type Agreement, candidateAgreement, lexicalQueryVector, retainedBytes, scaledLexicalLibrary } from "../src/bench/memory-index.js";
import { chunkCount, growTo } from "../src/bench/scale.js";
import { startServerProcess } from "../src/bench/server-process.js";
import { distinctCompanies, distinctQuestions, type HealthFigures, postJson as postWith, probeHealth } from "../src/bench/speed.js";
import { type Latency, timeEach } from "../src/bench/stats.js";
import { activePolicies, matchBatch, matchPolicies } from "../src/companies/matching.js";
import type { Db } from "../src/db/db.js";
import { openDb } from "../src/db/index.js";
import { loadLexicalIndex } from "../src/db/lexical-store.js";
import { createLibraryStore } from "../src/db/library-store.js";
import { openScratchDb, openScratchPostgres } from "../src/db/scratch.js";
import { createDeps, type Deps } from "../src/deps.js";
import { parseEnv } from "../src/env.js";
import { QuestionCaseSchema, readJsonl } from "../src/eval/datasets.js";
import { table } from "../src/eval/format.js";
import { rankingReport } from "../src/eval/metrics.js";
import { buildPolicy, collectFiles, ingestPaths, policyIdFor } from "../src/ingest/ingest.js";
import { todayInChina } from "../src/lib/china-time.js";
import { createResponseCache } from "../src/lib/response-cache.js";
import { chunkIndexText } from "../src/retrieval/lexical.js";
import { Library } from "../src/retrieval/library.js";
import { LexicalIndex, type SparseVector } from "../src/retrieval/memory-index.js";
import { queryTerms, type Retriever } from "../src/retrieval/search.js";
import { startOpenAIServer } from "../test/helpers/openai-server.js";

const ROOT = resolve(import.meta.dirname, "..");
const ROUTE_NAMES: Record<string, string> = {
  ceiling: "bare Hono route (ceiling)",
  chat: "POST /v1/chat (answer cache on, the default)",
  match: "POST /v1/match (answer cache on)",
  chatNoCache: "POST /v1/chat (cache off)",
  matchNoCache: "POST /v1/match (cache off)",
};

const { values } = parseArgs({
  options: {
    json: { type: "string" },
    scale: { type: "string", default: "100000" },
    "pglite-scale": { type: "string" },
    corpus: { type: "string", default: resolve(ROOT, "../shared/corpus") },
    questions: { type: "string", default: resolve(ROOT, "../shared/eval/dev/questions.jsonl") },
    duration: { type: "string", default: "20" },
    connections: { type: "string", default: "64" },
    samples: { type: "string", default: "300" },
    chart: { type: "string", default: resolve(ROOT, "docs/bench-latency.svg") },
    quick: { type: "boolean", default: false },
    /** Comma-separated sections to run: first-token, pglite, postgres, http, scale-out, batch, memory, library, speed (default: all). */
    only: { type: "string" },
  },
});
const quick = values.quick;
const scale = quick ? 5000 : Number(values.scale);
// PGlite is the embedded, single-process default; the 100k-chunk target is PostgreSQL's.
const pgliteScale = quick ? 5000 : Number(values["pglite-scale"] ?? 30_000);
const duration = quick ? 3 : Number(values.duration);
const connections = Number(values.connections);
const samples = quick ? 60 : Number(values.samples);
const env = parseEnv({ ...process.env, DATA_DIR: "memory://", LOG_LEVEL: "warn" });
const clock = { now: () => new Date("2026-11-23T08:00:00Z") };
const questions = await readJsonl(values.questions!, QuestionCaseSchema);
const log = (line: string) => console.error(`[bench] ${line}`);

// Peak memory, sampled through the whole run.
const memory = { peakRssMb: 0, peakHeapMb: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  memory.peakRssMb = Math.max(memory.peakRssMb, Math.round(m.rss / 2 ** 20));
  memory.peakHeapMb = Math.max(memory.peakHeapMb, Math.round(m.heapUsed / 2 ** 20));
}, 100);
sampler.unref();

type DbName = "pglite" | "postgres";
/**
 * One route on one database, loaded through a real server process (src/node.ts) with an API key whose limits
 * cannot throttle the run: uncached, every request a question or profile of its own; cached, a few repeated
 * ones the answer cache holds. /health asked throughout each run, one probe at a time.
 */
type SpeedRoute = DistinctLoadResult & {
  cachedRps: number;
  cached: LoadResult;
  /** Uncached req/s as a share of cached (target ≥ 0.1). */
  ratio: number;
  health: HealthFigures;
  cachedHealth: HealthFigures;
};
const results = {
  config: {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    embedder: "",
    scale,
    pgliteScale,
    http: { duration, connections },
    samples,
    corpus: values.corpus,
    questions: values.questions,
  },
  ingest: {} as Record<string, { documents: number; chunks: number; seconds: number; docsPerSec: number; chunksPerSec: number }>,
  latency: {} as Record<string, Record<string, Latency & { chunks: number }>>,
  paths: {} as Record<string, Record<Retriever, Latency>>,
  scaleBuild: {} as Record<string, Array<{ chunks: number; loadSeconds: number; indexSeconds: number }>>,
  eventLoop: {} as Record<string, { p50: number; p99: number; max: number }>,
  baseline: null as null | { pgvectorstore: Latency & { "recall@5": number; "mrr@10": number }; ours: Latency & { "recall@5": number; "mrr@10": number } },
  http: {} as Record<string, unknown>,
  firstToken: null as null | { library: { documents: number; chunks: number }; prepare: Latency; sseFirstToken: Latency },
  /** Throughput of 1 and 2 server processes (WEB_CONCURRENCY) on one PostgreSQL, answer cache off. */
  scaleOut: null as null | Record<"chat" | "match", { processes1: LoadResult; processes2: LoadResult; ratio: number }>,
  /** 10,000 generated companies judged against the corpus's active policies (profiles × policies judged per second). */
  batch: null as null | {
    companies: number;
    policies: number;
    seconds: number;
    companiesPerSec: number;
    judgementsPerSec: number;
    eligible: number;
    needsInfo: number;
  },
  /**
   * The in-memory lexical index: top-10 latency (ms) by library size beside the exhaustive reference, with the questions whose
   * two top 10s differ (0 unless MaxScore is wrong); its memory at the largest size; and how often today's candidate-selected
   * SQL ranking differs from the exact one on the corpus.
   */
  speed: {
    retrieval: {} as Record<
      string,
      {
        chunks: number;
        p50: number;
        p99: number;
        referenceP50: number;
        referenceP99: number;
        ratio: number;
        buildSeconds: number;
        mismatches: number;
      }
    >,
    memory: null as null | { chunks: number; indexMb: number; arrayMb: number; loadCorpusSeconds: number },
    agreement: null as null | Agreement,
    /** `--only speed`: the bare-route ceiling (req/s), as the server processes below are loaded. */
    ceiling: null as null | LoadResult,
    /** The machine's 1-minute load average before and after the HTTP runs (other work on the machine distorts them). */
    load: null as null | { before: number[]; after: number[] },
    chat: {} as Partial<Record<DbName, SpeedRoute>>,
    match: {} as Partial<Record<DbName, SpeedRoute>>,
  },
  /**
   * The library held in process (LEXICAL_INDEX=memory) beside the database's own paths, on one database: by library size, its
   * whole load and full-text retrieval from the snapshot and from SQL; at the corpus size, /v1/match's work from the snapshot's
   * records and from the database's rows, and one re-indexed policy's change applied to the snapshot.
   */
  library: null as null | {
    database: DbName;
    sizes: Array<{ chunks: number; loadSeconds: number; snapshot: Latency; sql: Latency }>;
    match: { snapshot: Latency; sql: Latency };
    applyChangeMs: number;
  },
  memory,
};

const ask =
  (deps: Deps, retriever: Retriever = "hybrid") =>
  (q: (typeof questions)[number]) =>
    retrieveForQuestion(deps, { question: q.question, profile: q.profile }, { limit: 10, retriever });

async function measureDatabase(name: DbName, url: string | undefined, target: number) {
  const db = await openScratchDb(url);
  try {
    const deps = await createDeps(env, { db, clock });
    results.config.embedder = deps.embedder.modelName;
    log(`${name}: ingesting ${values.corpus}`);
    const summary = await ingestPaths(deps, [values.corpus!]);
    const chunks = await chunkCount(deps);
    const seconds = summary.ms / 1000;
    results.ingest[name] = {
      documents: summary.added,
      chunks,
      seconds: round(seconds),
      docsPerSec: round(summary.added / seconds),
      chunksPerSec: round(chunks / seconds),
    };
    results.latency[name] = {};
    results.scaleBuild[name] = [];

    // Event-loop lag while queries run: PGlite executes in this thread, PostgreSQL does not. Each
    // query first yields to the loop, as a server's requests do, so the monitor's timer gets to run.
    const lag = monitorEventLoopDelay({ resolution: 1 });
    const asked = ask(deps);
    lag.enable();
    results.latency[name].corpus = { chunks, ...(await timeEach(questions, samples, async (q) => (await new Promise((r) => setImmediate(r)), asked(q)))) };
    lag.disable();
    results.eventLoop[name] = { p50: round(lag.percentile(50) / 1e6), p99: round(lag.percentile(99) / 1e6), max: round(lag.max / 1e6) };
    results.paths[name] = {
      fulltext: await timeEach(questions, samples, ask(deps, "fulltext")),
      vector: await timeEach(questions, samples, ask(deps, "vector")),
      hybrid: results.latency[name].corpus,
    };

    if (name === "postgres" && url) {
      log("postgres: LangChain PGVectorStore baseline");
      const { rows } = await db.query<{ policy_id: string; title: string; heading: string | null; text: string }>(
        "SELECT c.policy_id, p.title, c.heading, c.text FROM chunks c JOIN policies p ON p.id = c.policy_id ORDER BY c.id",
      );
      const store = await createBaselineStore(
        url,
        deps.embedder,
        rows.map((r) => ({ text: chunkIndexText(r.title, r.heading, r.text), policyId: r.policy_id })),
      );
      try {
        const answered = questions.filter((q) => q.relevant.length);
        const theirs = await Promise.all(answered.map(async (q) => ({ ...q, ranked: await store.rank(q.question) })));
        const ours = await Promise.all(answered.map(async (q) => ({ ...q, ranked: (await ask(deps)(q)).ranked.map((h) => h.policyId) })));
        const r1 = rankingReport(theirs),
          r2 = rankingReport(ours);
        results.baseline = {
          pgvectorstore: {
            ...(await timeEach(questions, samples, (q) => store.rank(q.question))),
            "recall@5": round(r1["recall@5"], 3),
            "mrr@10": round(r1["mrr@10"], 3),
          },
          ours: { ...results.latency[name].corpus, "recall@5": round(r2["recall@5"], 3), "mrr@10": round(r2["mrr@10"], 3) },
        };
      } finally {
        await store.close();
      }
    }

    // Scaled library: synthetic variants of the corpus chunks, grown step by step.
    const { files } = await collectFiles([values.corpus!]);
    const sources = [];
    for (const file of files) sources.push(await buildPolicy(deps, policyIdFor(file), file, await readFile(file), "bench"));
    let copy = 1;
    for (const step of steps(target)) {
      log(`${name}: growing to ${step.toLocaleString("en")} chunks`);
      const grown = await growTo(deps, sources, step, copy);
      copy = grown.nextCopy;
      results.scaleBuild[name].push({ chunks: grown.chunks, loadSeconds: round(grown.loadMs / 1000), indexSeconds: round(grown.indexMs / 1000) });
      results.latency[name][String(step)] = { chunks: grown.chunks, ...(await timeEach(questions, samples, ask(deps))) };
    }
  } finally {
    await db.close();
  }
}

function steps(target: number): number[] {
  return [...new Set([10_000, 30_000, target].filter((s) => s <= target))];
}

/**
 * The same server run as 1 and as 2 processes (node:cluster, one port) on one
 * PostgreSQL, loaded through real sockets with the answer cache off, so every
 * request retrieves and composes. The load generator and PostgreSQL share the
 * machine's cores with the servers.
 */
async function measureScaleOut(url: string) {
  const db = await openScratchPostgres(url);
  try {
    const deps = await createDeps(env, { db, clock });
    results.config.embedder ||= deps.embedder.modelName;
    await ingestPaths(deps, [values.corpus!, resolve(ROOT, "data/policies")]);
    const runs: Record<string, Record<"chat" | "match", LoadResult>> = {};
    for (const n of [1, 2]) {
      log(`scale-out: ${n} process${n > 1 ? "es" : ""}, /v1/chat and /v1/match, ${duration} s each`);
      const server = await startServerProcess({ DATABASE_URL: db.url, WEB_CONCURRENCY: String(n), RESPONSE_CACHE_SIZE: "0", LOG_LEVEL: "info" }, n);
      try {
        runs[n] = {
          chat: await load(server.url, chatRequests(), duration, connections),
          match: await load(server.url, matchRequests(), duration, connections),
        };
      } finally {
        await server.stop();
      }
    }
    const of = (route: "chat" | "match") => ({
      processes1: runs[1][route],
      processes2: runs[2][route],
      ratio: round(runs[2][route].rps / Math.max(runs[1][route].rps, 1), 2),
    });
    results.scaleOut = { chat: of("chat"), match: of("match") };
  } finally {
    await db.close();
  }
}

async function measureLibrary() {
  const database: DbName = env.DATABASE_URL ? "postgres" : "pglite";
  const db = await openScratchDb(env.DATABASE_URL);
  try {
    const deps = await createDeps(env, { db, clock });
    const sqlDeps: Deps = { ...deps, library: undefined };
    results.config.embedder ||= deps.embedder.modelName;
    log(`library: indexing the corpus on ${database}`);
    await ingestPaths(deps, [values.corpus!]);
    const fulltext = (d: Deps) => (q: (typeof questions)[number]) =>
      retrieveForQuestion(d, { question: q.question, profile: q.profile }, { limit: 10, retriever: "fulltext" });
    const sizes: NonNullable<typeof results.library>["sizes"] = [];
    const point = async () => {
      const fresh = new Library(createLibraryStore(db));
      const t0 = performance.now();
      await fresh.refresh();
      const loadSeconds = round((performance.now() - t0) / 1000);
      await deps.library!.refresh();
      sizes.push({
        chunks: fresh.current!.index.size,
        loadSeconds,
        snapshot: await timeEach(questions, samples, fulltext(deps)),
        sql: await timeEach(questions, samples, fulltext(sqlDeps)),
      });
    };
    await point();
    const profiles = generateCompanies(100).map((c) => c.profile);
    const match = {
      snapshot: await timeEach(profiles, samples, (profile) => matchPolicies(deps, { profile })),
      sql: await timeEach(profiles, samples, (profile) => matchPolicies(sqlDeps, { profile })),
    };
    const { files } = await collectFiles([values.corpus!]);
    await ingestPaths(deps, [files[0]], { force: true });
    const t1 = performance.now();
    await deps.library!.refresh();
    const applyChangeMs = round(performance.now() - t1);
    if (scale > sizes[0].chunks) {
      const sources = [];
      for (const file of files) sources.push(await buildPolicy(deps, policyIdFor(file), file, await readFile(file), "bench"));
      log(`library: growing to ${scale.toLocaleString("en")} chunks`);
      await growTo(deps, sources, scale, 1);
      await point();
    }
    results.library = { database, sizes, match, applyChangeMs };
  } finally {
    await db.close();
  }
}

/** A scratch database with the corpus indexed, for one measurement; closed after it. */
async function withIndexedCorpus(message: string, measure: (db: Db, deps: Deps) => Promise<void>) {
  const db = await openScratchDb(undefined);
  try {
    const deps = await createDeps(env, { db, clock });
    results.config.embedder ||= deps.embedder.modelName;
    log(message);
    await ingestPaths(deps, [values.corpus!]);
    await measure(db, deps);
  } finally {
    await db.close();
  }
}

function measureBatch() {
  return withIndexedCorpus("batch: indexing the corpus, then matching 10,000 generated companies", async (db) => {
    const policies = await activePolicies(db);
    const companies = generateCompanies(10_000);
    const t0 = performance.now();
    const matched = matchBatch(policies, companies, todayInChina(clock));
    const seconds = (performance.now() - t0) / 1000;
    results.batch = {
      companies: companies.length,
      policies: policies.length,
      seconds: round(seconds),
      companiesPerSec: Math.round(companies.length / seconds),
      judgementsPerSec: Math.round((companies.length * policies.length) / seconds),
      eligible: matched.reduce((n, r) => n + r.eligible.length, 0),
      needsInfo: matched.reduce((n, r) => n + r.needsInfo.length, 0),
    };
  });
}

/**
 * The in-memory lexical index on the corpus (loaded from the database, as a server would) and on synthetic
 * libraries up to --scale chunks built in process (scale.ts's variants; no database holds them), top 10
 * for every question by MaxScore and by scoring every posting; its memory at the largest size; and the
 * agreement of today's candidate-selected SQL ranking with the exact one on the corpus.
 */
function measureMemoryIndex() {
  return withIndexedCorpus("memory: indexing the corpus, loading the in-memory lexical index, comparing rankings", async (db, deps) => {
    const t0 = performance.now();
    const loaded = await loadLexicalIndex(db);
    const loadCorpusSeconds = round((performance.now() - t0) / 1000);
    results.speed.agreement = await candidateAgreement(
      deps,
      loaded,
      questions.map((q) => q.question),
    );

    const { files } = await collectFiles([values.corpus!]);
    const sources = [];
    for (const file of files) sources.push(await buildPolicy(deps, policyIdFor(file), file, await readFile(file), "bench"));
    const sizes = [sources.reduce((n, s) => n + s.chunks.length, 0), ...steps(scale)];
    log(`memory: synthesising ${scale.toLocaleString("en")} chunks`);
    const terms = new Set(questions.flatMap((q) => queryTerms(deps, q.question).map((t) => t.term)));
    const library = scaledLexicalLibrary(deps, sources, sizes, terms);
    for (const size of sizes) {
      const vectors = questions.map((q) => lexicalQueryVector(deps, q.question, library.dfAt.get(size)!)).filter((v): v is SparseVector => v !== null);
      const t1 = performance.now();
      // Each id copied: the loader's rows give the index strings of its own, which its memory must count.
      const { value: index, bytes } = retainedBytes(() =>
        LexicalIndex.build(library.chunks.slice(0, size).map((c) => ({ ...c, chunkId: Buffer.from(c.chunkId).toString() }))),
      );
      const buildSeconds = round((performance.now() - t1) / 1000);
      // The first query allocates the index's workspace, which the memory figure counts.
      const { bytes: workspaceBytes } = retainedBytes(() => index.topK(vectors[0], 10));
      const mismatches = vectors.filter((q) => JSON.stringify(index.topK(q, 10)) !== JSON.stringify(index.exhaustiveTopK(q, 10))).length;
      const memory = await timeEach(vectors, samples, async (q) => index.topK(q, 10));
      const reference = await timeEach(vectors, samples, async (q) => index.exhaustiveTopK(q, 10));
      results.speed.retrieval[String(size)] = {
        chunks: size,
        p50: memory.p50,
        p99: memory.p99,
        referenceP50: reference.p50,
        referenceP99: reference.p99,
        ratio: round(memory.p50 / reference.p50),
        buildSeconds,
        mismatches,
      };
      if (size === sizes.at(-1)) {
        results.speed.memory = {
          chunks: size,
          indexMb: round((bytes + workspaceBytes) / 2 ** 20, 1),
          arrayMb: round(index.arrayBytes() / 2 ** 20, 1),
          loadCorpusSeconds,
        };
      }
    }
  });
}

/**
 * Issue 22's figures in one run: the in-memory lexical index beside its exhaustive reference up to --scale chunks
 * (measureMemoryIndex), the bare-route ceiling, and on PGlite and (with DATABASE_URL) PostgreSQL a real server
 * process loaded with cached and uncached /v1/chat and /v1/match at --connections, /health probed meanwhile.
 */
async function measureSpeed() {
  if (!Object.keys(results.speed.retrieval).length) await measureMemoryIndex();
  results.speed.load = { before: loadavg().map((n) => round(n)), after: [] };
  const bare = new Hono().get("/ping", (c) => c.json({ ok: true, service: "policy-match" }));
  const server = serve({ fetch: bare.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((ok) => server.once("listening", ok));
  try {
    log(`speed: the bare-route ceiling, ${duration} s at ${connections} connections`);
    results.speed.ceiling = await load(
      `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      [{ method: "GET", path: "/ping" }],
      duration,
      connections,
    );
  } finally {
    await new Promise((ok) => server.close(ok));
  }
  await speedServer("pglite");
  if (env.DATABASE_URL) await speedServer("postgres");
  results.speed.load.after = loadavg().map((n) => round(n));
}

async function speedServer(name: DbName) {
  // The library (corpus and demo documents) and one key, written before the server starts: it owns a PGlite folder alone.
  const folder = name === "pglite" ? await mkdtemp(resolve(tmpdir(), "pm-speed-")) : undefined;
  const db = folder ? await openDb({ dataDir: folder }) : await openScratchPostgres(env.DATABASE_URL!);
  let closed = false;
  try {
    const deps = await createDeps(env, { db, clock });
    results.config.embedder ||= deps.embedder.modelName;
    log(`speed: ${name}: indexing the corpus and the demo library`);
    await ingestPaths(deps, [values.corpus!, resolve(ROOT, "data/policies")]);
    // The largest limits a key can have (NewKeySchema): 1,000,000 a minute and 100,000,000 a day, far above this run's rate.
    const { secret } = await createApiKey(db, {
      tenant: "bench",
      name: "speed bench",
      scopes: ["chat", "match"],
      ratePerMinute: 1_000_000,
      dailyQuota: 100_000_000,
    });
    const serverEnv: Record<string, string> = folder ? { DATA_DIR: folder } : { DATABASE_URL: (db as Db & { url: string }).url };
    if (folder) {
      await db.close();
      closed = true;
    }
    const server = await startServerProcess({ ...serverEnv, LOG_LEVEL: "info" });
    const auth = { authorization: `Bearer ${secret}` };
    try {
      const chatBody = (q: { question: string; profile?: unknown }) => ({ question: q.question, ...(q.profile ? { profile: q.profile } : {}) });
      const repeated = {
        chat: questions.slice(0, 20).map((q) => postWith("/v1/chat", chatBody(q), auth)),
        match: (JSON.parse(readFileSync(resolve(ROOT, "data/companies.json"), "utf8")) as unknown[]).map((profile) =>
          postWith("/v1/match", { profile, limit: 10 }, auth),
        ),
      };
      // Far more than any run sends (its `repeated` says if not).
      const enough = Math.max(2_000, duration * 1_500);
      const distinct = {
        chat: distinctQuestions(questions, enough).map((q) => JSON.stringify(chatBody(q))),
        match: distinctCompanies(enough).map((profile) => JSON.stringify({ profile, limit: 10 })),
      };
      for (const route of ["chat", "match"] as const) {
        // The cache filled first, so the cached run measures hits.
        for (const r of repeated[route]) await fetch(server.url + r.path, { method: "POST", headers: r.headers, body: r.body });
        log(`speed: ${name}: /v1/${route} cached, then uncached, ${duration} s each at ${connections} connections`);
        const probe1 = probeHealth(server.url);
        const cached = await load(server.url, repeated[route], duration, connections);
        const cachedHealth = await probe1.stop();
        const probe2 = probeHealth(server.url);
        const uncached = await loadDistinct(server.url, postWith(`/v1/${route}`, {}, auth), distinct[route], duration, connections);
        const health = await probe2.stop();
        results.speed[route][name] = {
          ...uncached,
          cachedRps: cached.rps,
          cached,
          ratio: round(uncached.rps / Math.max(cached.rps, 1), 3),
          health,
          cachedHealth,
        };
      }
    } finally {
      await server.stop();
    }
  } finally {
    if (!closed) await db.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

const postJson = (path: string, body: unknown): LoadRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const chatRequests = () => questions.slice(0, 20).map((q) => postJson("/v1/chat", { question: q.question, ...(q.profile ? { profile: q.profile } : {}) }));
const matchRequests = () =>
  (JSON.parse(readFileSync(resolve(ROOT, "data/companies.json"), "utf8")) as unknown[]).map((profile) => postJson("/v1/match", { profile, limit: 10 }));

async function measureHttp() {
  const db = await openScratchDb(undefined);
  const deps = await createDeps(env, { db, clock });
  await ingestPaths(deps, [values.corpus!, resolve(ROOT, "data/policies")]);
  const app = createApp(deps);
  // The same service with its answer cache off: every request retrieves and composes.
  const uncached = createApp({ ...deps, responseCache: createResponseCache({ capacity: 0, version: async () => "" }) });
  const bare = new Hono().get("/ping", (c) => c.json({ ok: true, service: "policy-match" }));
  const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
    new Promise<{ url: string; close: () => Promise<void> }>((ok) => {
      const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        ok({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) }),
      );
    });
  const api = await listen(app.fetch);
  const apiNoCache = await listen(uncached.fetch);
  const ceiling = await listen(bare.fetch);
  try {
    log(`http: ceiling, /v1/chat and /v1/match, ${duration} s each at ${connections} connections`);
    const top = await load(ceiling.url, [{ method: "GET", path: "/ping" }], duration, connections);
    const chat = await load(api.url, chatRequests(), duration, connections);
    const match = await load(api.url, matchRequests(), duration, connections);
    const chatNoCache = await load(apiNoCache.url, chatRequests(), duration, connections);
    const matchNoCache = await load(apiNoCache.url, matchRequests(), duration, connections);
    results.http = {
      ceiling: top,
      chat: { ...chat, ratio: round(chat.rps / top.rps, 4) },
      match: { ...match, ratio: round(match.rps / top.rps, 4) },
      chatNoCache: { ...chatNoCache, ratio: round(chatNoCache.rps / top.rps, 4) },
      matchNoCache: { ...matchNoCache, ratio: round(matchNoCache.rps / top.rps, 4) },
    };
  } finally {
    await Promise.all([api.close(), apiNoCache.close(), ceiling.close()]);
    await db.close();
  }
}

/**
 * The service's own time before an LLM answer's first token, on the demo
 * library: retrieval, cards, eligibility and the prompt (in process), and the
 * first SSE token over HTTP from a local model that answers at once.
 */
async function measureFirstToken() {
  const llm = await startOpenAIServer((r) => {
    const content = String(r.body.messages?.find((m: { role: string }) => m.role === "user")?.content ?? "");
    const first = /^\[(\d+)\] 《([^》]+)》/m.exec(content);
    return { text: first ? `可以申请《${first[2]}》[${first[1]}]。` : "现有政策库中没有找到能回答该问题的政策。" };
  });
  const db = await openScratchDb(undefined);
  const chatEnv = parseEnv({
    ...process.env,
    DATABASE_URL: "",
    DATA_DIR: "memory://",
    LOG_LEVEL: "warn",
    RESPONSE_CACHE_SIZE: "0",
    CHAT_PROVIDER: "openai",
    CHAT_BASE_URL: llm.url,
    CHAT_MODEL: "bench-instant",
    CHAT_QUERY_REWRITE: "false",
  });
  const deps = await createDeps(chatEnv, { db, clock });
  const summary = await ingestPaths(deps, [resolve(ROOT, "data/policies")]);
  const demoQuestions = JSON.parse(readFileSync(resolve(ROOT, "data/demo-questions.json"), "utf8")) as string[];
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((ok) => server.once("listening", ok));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/chat`;
  try {
    log("first token: demo library, local instant model");
    const prepare = await timeEach(demoQuestions, samples, async (question) => {
      const prepared = await prepareAnswer(deps, { question, profile: profileForTurn(question) });
      await deps.chat!.prompts.answer.template.formatMessages({ passages: passagesText(prepared.passages), company: "", history: "", question });
    });
    const sseFirstToken = await timeEach(demoQuestions, samples, async (question) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ question }),
      });
      const reader = res.body!.getReader();
      let seen = "";
      while (!seen.includes("event: token")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`no token for ${question}`);
        seen += new TextDecoder().decode(value);
      }
      await reader.cancel();
    });
    results.firstToken = { library: { documents: summary.added, chunks: await chunkCount(deps) }, prepare, sseFirstToken };
  } finally {
    await new Promise((ok) => server.close(ok));
    await llm.close();
    await db.close();
  }
}

const started = Date.now();
const want = (section: string) => !values.only || values.only.split(",").includes(section);
if (want("first-token")) await measureFirstToken();
if (want("pglite")) await measureDatabase("pglite", undefined, pgliteScale);
if (env.DATABASE_URL && want("postgres")) await measureDatabase("postgres", env.DATABASE_URL, scale);
if (want("http")) await measureHttp();
if (env.DATABASE_URL && want("scale-out")) await measureScaleOut(env.DATABASE_URL);
if (want("batch")) await measureBatch();
if (want("memory")) await measureMemoryIndex();
if (want("library")) await measureLibrary();
if (want("speed")) await measureSpeed();
clearInterval(sampler);

const series: Series[] = [];
const colors: Record<string, string> = { pglite: "#1f77b4", postgres: "#d62728" };
for (const [name, byStep] of Object.entries(results.latency)) {
  for (const [p, dashed] of [
    ["p50", false],
    ["p99", true],
  ] as const) {
    series.push({ label: `${name} ${p}`, color: colors[name], dashed, points: Object.values(byStep).map((l) => ({ chunks: l.chunks, ms: l[p] })) });
  }
}
let chartTitle = `Hybrid retrieval latency vs library size (${results.config.embedder})`;
let chartAxis: string | undefined;
if (!series.length && Object.keys(results.speed.retrieval).length) {
  // Without the databases' hybrid runs, the chart shows the in-memory lexical index beside its exhaustive reference.
  const sizes = Object.values(results.speed.retrieval);
  series.push(
    { label: "in-memory top 10 p50", color: "#d62728", dashed: false, points: sizes.map((r) => ({ chunks: r.chunks, ms: r.p50 })) },
    { label: "in-memory top 10 p99", color: "#d62728", dashed: true, points: sizes.map((r) => ({ chunks: r.chunks, ms: r.p99 })) },
    { label: "exhaustive reference p50", color: "#1f77b4", dashed: false, points: sizes.map((r) => ({ chunks: r.chunks, ms: r.referenceP50 })) },
  );
  chartTitle = "Lexical top 10 in memory (MaxScore) vs every posting scored, by library size";
  chartAxis = "lexical top 10 latency (ms)";
}
if (series.length) await mkdir(dirname(values.chart!), { recursive: true });
if (series.length) await writeFile(values.chart!, latencyChart(series, chartTitle, chartAxis));

if (values.json) {
  await mkdir(dirname(resolve(values.json)), { recursive: true });
  await writeFile(values.json, JSON.stringify(results, null, 2) + "\n");
  console.error(`figures written to ${values.json}`);
}
console.log(report());
console.error(`\nbench finished in ${round((Date.now() - started) / 1000)} s; chart: ${values.chart}`);

function report(): string {
  const out: string[] = [`node ${results.config.node} · ${results.config.cpus} cpus · ${results.config.embedder}`];
  if (Object.keys(results.ingest).length)
    out.push(
      "",
      "Ingest of the corpus",
      table(
        ["database", "documents", "chunks", "seconds", "docs/s", "chunks/s"],
        Object.entries(results.ingest).map(([n, r]) => [
          n,
          String(r.documents),
          String(r.chunks),
          String(r.seconds),
          String(r.docsPerSec),
          String(r.chunksPerSec),
        ]),
      ),
    );
  if (Object.keys(results.latency).length)
    out.push(
      "",
      "Hybrid retrieval latency (ms; what /v1/chat runs before composing the answer)",
      table(
        ["database", "chunks", "p50", "p95", "p99", "samples"],
        Object.entries(results.latency).flatMap(([n, byStep]) =>
          Object.values(byStep).map((l) => [n, l.chunks.toLocaleString("en"), String(l.p50), String(l.p95), String(l.p99), String(l.samples)]),
        ),
      ),
    );
  if (Object.keys(results.scaleBuild).length)
    out.push(
      "",
      "Scaled library build (synthetic variants, bulk insert; HNSW index rebuilt after each step)",
      table(
        ["database", "chunks", "load s", "index s"],
        Object.entries(results.scaleBuild).flatMap(([n, rows]) =>
          rows.map((r) => [n, r.chunks.toLocaleString("en"), String(r.loadSeconds), String(r.indexSeconds)]),
        ),
      ),
    );
  if (Object.keys(results.paths).length)
    out.push(
      "",
      "Single paths at corpus size (ms)",
      table(
        ["database", "path", "p50", "p95", "p99"],
        Object.entries(results.paths).flatMap(([n, paths]) => Object.entries(paths).map(([p, l]) => [n, p, String(l.p50), String(l.p95), String(l.p99)])),
      ),
    );
  if (results.baseline) {
    const b = results.baseline;
    out.push(
      "",
      "Baseline: LangChain PGVectorStore (vector only) vs ours (hybrid), PostgreSQL, dev questions",
      table(
        ["retriever", "R@5", "MRR@10", "p50 ms", "p95 ms", "p99 ms"],
        [
          [
            "PGVectorStore",
            String(b.pgvectorstore["recall@5"]),
            String(b.pgvectorstore["mrr@10"]),
            String(b.pgvectorstore.p50),
            String(b.pgvectorstore.p95),
            String(b.pgvectorstore.p99),
          ],
          ["policy-match hybrid", String(b.ours["recall@5"]), String(b.ours["mrr@10"]), String(b.ours.p50), String(b.ours.p95), String(b.ours.p99)],
        ],
      ),
    );
  }
  const h = results.http as Record<string, { rps: number; p50: number; p99: number; errors: number; non2xx: number; timeouts: number; ratio?: number }>;
  if (Object.keys(h).length)
    out.push(
      "",
      `HTTP load (autocannon in a worker thread, ${duration} s, ${connections} connections, cycling 20 dev questions / 6 demo profiles; PGlite, corpus + demo library)`,
      table(
        ["route", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "ratio to ceiling"],
        Object.entries(h).map(([n, r]) => [
          ROUTE_NAMES[n] ?? n,
          String(r.rps),
          String(r.p50),
          String(r.p99),
          String(r.errors + r.timeouts),
          String(r.non2xx),
          r.ratio === undefined ? "1" : String(r.ratio),
        ]),
      ),
    );
  if (results.firstToken) {
    const f = results.firstToken;
    out.push(
      "",
      `Before an LLM answer's first token (ms; demo library, ${f.library.documents} documents, ${f.library.chunks} chunks; local model answering at once)`,
      table(
        ["what", "p50", "p95", "p99"],
        [
          ["retrieval + cards + eligibility + prompt (in process)", String(f.prepare.p50), String(f.prepare.p95), String(f.prepare.p99)],
          ["first SSE token over HTTP", String(f.sseFirstToken.p50), String(f.sseFirstToken.p95), String(f.sseFirstToken.p99)],
        ],
      ),
    );
  }
  if (results.scaleOut) {
    const so = results.scaleOut;
    out.push(
      "",
      `Scale-out: 1 vs 2 server processes (WEB_CONCURRENCY) on one PostgreSQL, answer cache off, ${duration} s, ${connections} connections, ${results.config.cpus} cpus shared with PostgreSQL and the load generator`,
      table(
        ["route", "1 process req/s", "2 processes req/s", "ratio", "p99 ms (1 → 2)", "errors"],
        (["chat", "match"] as const).map((r) => [
          `POST /v1/${r}`,
          String(so[r].processes1.rps),
          String(so[r].processes2.rps),
          String(so[r].ratio),
          `${so[r].processes1.p99} → ${so[r].processes2.p99}`,
          String(so[r].processes1.errors + so[r].processes1.timeouts + so[r].processes2.errors + so[r].processes2.timeouts),
        ]),
      ),
    );
  }
  if (results.batch) {
    const b = results.batch;
    out.push(
      "",
      `Batch matching (POST /v1/match/batch's work, in process): ${b.companies.toLocaleString("en")} generated companies × ${b.policies} active policies of the corpus`,
      table(
        ["seconds", "companies/s", "judgements/s", "eligible matches", "needs-info matches"],
        [[String(b.seconds), String(b.companiesPerSec), String(b.judgementsPerSec), String(b.eligible), String(b.needsInfo)]],
      ),
    );
  }
  const sp = results.speed;
  if (Object.keys(sp.retrieval).length)
    out.push(
      "",
      "In-memory lexical index, top 10 (ms): MaxScore beside every posting scored (the reference)",
      table(
        ["chunks", "p50", "p99", "reference p50", "reference p99", "ratio", "build s", "top 10s differing"],
        Object.values(sp.retrieval).map((r) => [
          r.chunks.toLocaleString("en"),
          String(r.p50),
          String(r.p99),
          String(r.referenceP50),
          String(r.referenceP99),
          String(r.ratio),
          String(r.buildSeconds),
          String(r.mismatches),
        ]),
      ),
    );
  if (sp.memory)
    out.push(
      `Index memory at ${sp.memory.chunks.toLocaleString("en")} chunks: ${sp.memory.indexMb} MB retained (${sp.memory.arrayMb} MB in typed arrays); the corpus loads from PGlite in ${sp.memory.loadCorpusSeconds} s`,
    );
  if (sp.agreement)
    out.push(
      `Today's candidate-selected SQL ranking against the exact one, ${sp.agreement.questions} questions: top 10 chunks differ for ${sp.agreement.chunksDiffer}, top 10 policies for ${sp.agreement.policiesDiffer}`,
    );
  const lib = results.library;
  if (lib) {
    out.push(
      "",
      `The library held in process (LEXICAL_INDEX=memory) beside SQL (LEXICAL_INDEX=sql), ${lib.database}: full-text retrieval of the dev questions (ms)`,
      table(
        ["chunks", "load s", "snapshot p50", "snapshot p99", "SQL p50", "SQL p99"],
        lib.sizes.map((r) => [
          r.chunks.toLocaleString("en"),
          String(r.loadSeconds),
          String(r.snapshot.p50),
          String(r.snapshot.p99),
          String(r.sql.p50),
          String(r.sql.p99),
        ]),
      ),
    );
    out.push(
      `/v1/match's work at the corpus size, 100 generated companies (ms): from the snapshot p50 ${lib.match.snapshot.p50}, p99 ${lib.match.snapshot.p99}; reading every policy p50 ${lib.match.sql.p50}, p99 ${lib.match.sql.p99}. One re-indexed policy applied to the snapshot in ${lib.applyChangeMs} ms`,
    );
  }
  if (sp.ceiling && Object.keys(sp.chat).length) {
    const rows: string[][] = [];
    for (const route of ["chat", "match"] as const)
      for (const [db, r] of Object.entries(sp[route]))
        rows.push([
          `POST /v1/${route}`,
          db,
          String(r.cached.rps),
          String(r.rps),
          String(r.ratio),
          `${r.p50} / ${r.p99}`,
          `${r.cached.errors + r.cached.timeouts} / ${r.errors + r.timeouts}`,
          `${r.cached.non2xx} / ${r.non2xx}`,
          `${r.distinct.toLocaleString("en")}${r.repeated ? ` (${r.repeated} repeated)` : ""}`,
          `${r.cachedHealth.p99} / ${r.health.p99}`,
        ]);
    out.push(
      "",
      `HTTP through a server process (src/node.ts, production defaults, one API key with limits of 1,000,000/min and 100,000,000/day), ${duration} s per run at ${connections} connections; bare Hono route ${sp.ceiling.rps} req/s; load average before ${sp.load?.before.join(" ")}, after ${sp.load?.after.join(" ")}`,
      table(
        [
          "route",
          "database",
          "cached req/s",
          "uncached req/s",
          "uncached / cached",
          "uncached p50 / p99 ms",
          "errors cached / uncached",
          "non-2xx cached / uncached",
          "distinct bodies",
          "/health p99 ms cached / uncached",
        ],
        rows,
      ),
    );
  }
  if (Object.keys(results.eventLoop).length)
    out.push(
      "",
      "Event-loop lag while hybrid queries run (ms)",
      table(
        ["database", "p50", "p99", "max"],
        Object.entries(results.eventLoop).map(([n, l]) => [n, String(l.p50), String(l.p99), String(l.max)]),
      ),
    );
  out.push("", `Peak memory: RSS ${memory.peakRssMb} MB, heap ${memory.peakHeapMb} MB`);
  return out.join("\n");
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
