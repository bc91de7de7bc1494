import { createDatabaseCounter, createMemoryCounter, type RateCounter } from "./access/rate-limit.js";
import type { Db } from "./db/db.js";
import { libraryVersion } from "./db/policy-store.js";
import type { Env } from "./env.js";
import { ConfigError } from "./env.js";
import type { JobPool } from "./jobs/job.js";
import type { Clock } from "./lib/clock.js";
import type { Logger } from "./lib/logger.js";
import type { PrometheusMetrics } from "./lib/prometheus.js";
import { createResponseCache, type ResponseCache } from "./lib/response-cache.js";
import { createWorkSlots, type WorkSlots } from "./lib/work-slots.js";
import { type ChatClient, createChatClient } from "./llm/chat-model.js";
import { type Embedder, LocalHashEmbeddings, RemoteEmbeddings } from "./llm/embeddings.js";
import type { Prompts } from "./llm/prompts.js";
import type { Analyzer } from "./retrieval/analyzer.js";
import type { Library } from "./retrieval/library.js";
import { readSettings, type Settings } from "./settings.js";

/*
 * The composition shared by every runtime: Node (deps.ts) and Workers
 * (worker.ts) open their own database, segmenter, logger and files, then
 * build the same services here, beside the settings read from the same env.
 * Nothing in this file touches a file system or a native module.
 */

/** The clients and caches a process builds once and shares: what a module that does I/O is handed. */
export type Services = {
  db: Db;
  /** The configured embedding model: ingest writes its vectors, and it answers queries unless the library switched to nextEmbedder. */
  embedder: Embedder;
  /** A model being introduced (NEXT_EMBEDDING_*): ingest writes its vectors too; see src/admin/embedding-switch.ts. */
  nextEmbedder?: Embedder;
  analyzer: Analyzer;
  /**
   * The library held in this process (the lexical index, followed through the database's generation),
   * which lexical search reads instead of SQL; absent with LEXICAL_INDEX=sql and on Workers.
   */
  library?: Library;
  logger: Logger;
  clock: Clock;
  responseCache: ResponseCache;
  /** How many answers this process composes at once (ANSWER_CONCURRENCY); the rest wait their turn. */
  answerSlots: WorkSlots;
  /** How many requests this process serves at once (REQUEST_CONCURRENCY); /health never waits for one. */
  requestSlots: WorkSlots;
  /** The chat model; absent when answers are extractive (the default). */
  chat?: ChatClient;
  /** Per-key rate and quota counters: rows on PostgreSQL (shared by every process), memory on PGlite. */
  rateCounter: RateCounter;
  metrics: PrometheusMetrics;
  /** The embeddable widget script and its ETag; absent where static assets serve it (Workers). */
  widget?: { js: string; etag: string };
  /** Runs scheduled jobs (webhook deliveries) in this process; absent on Workers, which have no work after the response. */
  jobs?: JobPool;
};

/** What a request's context carries: the services and the settings. Modules ask for the few members they use. */
export type Deps = Services & Settings;

/** `idf` is jieba's idf table, which the local embedder weights words by; absent where it cannot be loaded (Workers). */
export function createEmbedder(env: Env, analyzer: Analyzer, which: "current" | "next" = "current", idf?: Uint8Array): Embedder {
  const pick =
    which === "next"
      ? {
          provider: env.NEXT_EMBEDDING_PROVIDER,
          model: env.NEXT_EMBEDDING_MODEL,
          baseURL: env.NEXT_EMBEDDING_BASE_URL,
          apiKey: env.NEXT_EMBEDDING_API_KEY,
          dimensions: env.NEXT_EMBEDDING_DIMENSIONS,
        }
      : {
          provider: env.EMBEDDING_PROVIDER,
          model: env.EMBEDDING_MODEL,
          baseURL: env.EMBEDDING_BASE_URL,
          apiKey: env.EMBEDDING_API_KEY,
          dimensions: env.EMBEDDING_DIMENSIONS,
        };
  if (pick.provider === "openai") {
    return new RemoteEmbeddings({
      model: pick.model!,
      baseURL: pick.baseURL!,
      apiKey: pick.apiKey,
      dimensions: pick.dimensions,
      batchSize: env.EMBEDDING_BATCH_SIZE,
      timeoutMs: env.EMBEDDING_TIMEOUT_MS,
      concurrency: env.EMBEDDING_CONCURRENCY,
      maxRetries: env.EMBEDDING_MAX_RETRIES,
    });
  }
  if (!idf)
    throw new ConfigError(
      `Invalid configuration:\n  ${which === "next" ? "NEXT_" : ""}EMBEDDING_PROVIDER: the local embedder is not available here; use an OpenAI-compatible embeddings endpoint`,
    );
  return new LocalHashEmbeddings(analyzer, idf, pick.dimensions ?? 1024);
}

/** What a runtime opens itself before assembling Deps. */
export type RuntimeParts = {
  runtime: Settings["runtime"];
  db: Db;
  analyzer: Analyzer;
  logger: Logger;
  metrics: PrometheusMetrics;
  library?: Library;
  widget?: Services["widget"];
  /** Needed when CHAT_PROVIDER is set. */
  prompts?: Prompts;
  /** jieba's idf table, for the local embedder. */
  idf?: Uint8Array;
};

export function createServices(env: Env, parts: RuntimeParts, overrides: Partial<Services> = {}): Services {
  const { db, analyzer } = parts;
  // At the edge the platform spreads requests over isolates, and workerd cancels a request that waits on
  // another's promise as hung: a slot passed from one request to the next would be such a wait.
  const edge = parts.runtime === "workers";
  const chat = "chat" in overrides ? overrides.chat : env.CHAT_PROVIDER === "none" ? undefined : createChatClient(env, parts.prompts!);
  return {
    db,
    analyzer,
    library: "library" in overrides ? overrides.library : parts.library,
    embedder: overrides.embedder ?? createEmbedder(env, analyzer, "current", parts.idf),
    nextEmbedder:
      "nextEmbedder" in overrides ? overrides.nextEmbedder : env.NEXT_EMBEDDING_PROVIDER ? createEmbedder(env, analyzer, "next", parts.idf) : undefined,
    logger: parts.logger,
    clock: overrides.clock ?? { now: () => new Date() },
    chat,
    rateCounter: overrides.rateCounter ?? (db.kind === "postgres" ? createDatabaseCounter(db) : createMemoryCounter()),
    metrics: parts.metrics,
    widget: parts.widget,
    answerSlots: overrides.answerSlots ?? createWorkSlots(edge ? Infinity : (env.ANSWER_CONCURRENCY ?? (chat ? 16 : 2))),
    requestSlots: overrides.requestSlots ?? createWorkSlots(edge ? Infinity : (env.REQUEST_CONCURRENCY ?? (chat ? 32 : 4))),
    jobs: overrides.jobs,
    responseCache:
      overrides.responseCache ??
      createResponseCache({
        capacity: env.RESPONSE_CACHE_SIZE,
        version: () => libraryVersion(db),
      }),
  };
}

export function assembleDeps(env: Env, parts: RuntimeParts, overrides: Partial<Deps> = {}): Deps {
  const settings = readSettings(env, parts.runtime);
  return {
    ...settings,
    listenHost: overrides.listenHost ?? settings.listenHost,
    admin: overrides.admin ?? settings.admin,
    webhooks: overrides.webhooks ?? settings.webhooks,
    ...createServices(env, parts, overrides),
  };
}
