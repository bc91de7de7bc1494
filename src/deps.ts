import type { Env } from "./env.js";
import { openDb, type Db } from "./db/index.js";
import { createAnalyzer, type Analyzer } from "./retrieval/analyzer.js";
import { LocalHashEmbeddings, RemoteEmbeddings, type Embedder } from "./llm/embeddings.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { createResponseCache, type ResponseCache } from "./lib/response-cache.js";
import { createChatClient, type ChatClient } from "./llm/chat-model.js";
import { loadPrompts } from "./llm/prompts.js";
import { createDatabaseCounter, createMemoryCounter, type RateCounter } from "./access/rate-limit.js";
import { createMetrics, type Metrics } from "./lib/metrics.js";

export type Clock = { now(): Date };

export type Deps = {
  db: Db;
  /** The configured embedding model: ingest writes its vectors, and it answers queries unless the library switched to nextEmbedder. */
  embedder: Embedder;
  /** A model being introduced (NEXT_EMBEDDING_*): ingest writes its vectors too; see src/admin/embedding-switch.ts. */
  nextEmbedder?: Embedder;
  analyzer: Analyzer;
  logger: Logger;
  clock: Clock;
  limits: { maxBodyBytes: number; maxQuestionChars: number; plainTextMaxChars: number; uploadMaxBytes: number };
  responseCache: ResponseCache;
  /** The chat model; absent when answers are extractive (the default). */
  chat?: ChatClient;
  sessions: { ttlHours: number };
  /** Per-key rate and quota counters: rows on PostgreSQL (shared by every process), memory on PGlite. */
  rateCounter: RateCounter;
  metrics: Metrics;
  admin: { ingestRoots: string[]; uploadDir: string; urlPrefixes: string[] };
  /** Log question text (off by default: questions may describe a company's affairs). */
  logQuestions: boolean;
};

export function createEmbedder(env: Env, analyzer: Analyzer, which: "current" | "next" = "current"): Embedder {
  const pick = which === "next"
    ? { provider: env.NEXT_EMBEDDING_PROVIDER, model: env.NEXT_EMBEDDING_MODEL, baseURL: env.NEXT_EMBEDDING_BASE_URL, apiKey: env.NEXT_EMBEDDING_API_KEY, dimensions: env.NEXT_EMBEDDING_DIMENSIONS }
    : { provider: env.EMBEDDING_PROVIDER, model: env.EMBEDDING_MODEL, baseURL: env.EMBEDDING_BASE_URL, apiKey: env.EMBEDDING_API_KEY, dimensions: env.EMBEDDING_DIMENSIONS };
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
  return new LocalHashEmbeddings(analyzer, pick.dimensions ?? 1024);
}

/** Builds every client once from validated config; the caller owns closing the database. */
export async function createDeps(env: Env, overrides: Partial<Deps> = {}): Promise<Deps> {
  const analyzer = overrides.analyzer ?? createAnalyzer();
  const db = overrides.db ?? (await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE }));
  return {
    db,
    analyzer,
    embedder: overrides.embedder ?? createEmbedder(env, analyzer),
    nextEmbedder: "nextEmbedder" in overrides ? overrides.nextEmbedder : env.NEXT_EMBEDDING_PROVIDER ? createEmbedder(env, analyzer, "next") : undefined,
    logger: overrides.logger ?? createLogger(env.LOG_LEVEL),
    clock: overrides.clock ?? { now: () => new Date() },
    chat: "chat" in overrides ? overrides.chat : env.CHAT_PROVIDER === "none" ? undefined : createChatClient(env, await loadPrompts(env.PROMPTS_DIR)),
    sessions: { ttlHours: env.SESSION_TTL_HOURS },
    rateCounter: overrides.rateCounter ?? (db.kind === "postgres" ? createDatabaseCounter(db) : createMemoryCounter()),
    metrics: overrides.metrics ?? createMetrics(),
    admin: overrides.admin ?? {
      ingestRoots: (env.ADMIN_INGEST_ROOTS ?? env.DEMO_DATA_DIR).split(",").map((s) => s.trim()).filter(Boolean),
      uploadDir: env.UPLOAD_DIR,
      urlPrefixes: env.ADMIN_URL_PREFIXES.split(",").map((s) => s.trim()).filter(Boolean),
    },
    logQuestions: env.LOG_QUESTIONS,
    limits: { maxBodyBytes: env.MAX_BODY_BYTES, maxQuestionChars: env.MAX_QUESTION_CHARS, plainTextMaxChars: env.PLAIN_TEXT_MAX_CHARS, uploadMaxBytes: env.UPLOAD_MAX_BYTES },
    responseCache:
      overrides.responseCache ??
      createResponseCache({
        capacity: env.RESPONSE_CACHE_SIZE,
        version: async () => (await db.query<{ v: string }>("SELECT coalesce(max(id), 0)::text AS v FROM ingest_runs")).rows[0].v,
      }),
  };
}
