import { idf } from "@node-rs/jieba/dict";
import { openDb } from "./db/index.js";
import { createLibraryStore } from "./db/library-store.js";
import type { Env } from "./env.js";
import { pool } from "./job-runners.js";
import { createLogger } from "./lib/logger.js";
import { createPrometheusMetrics } from "./lib/prometheus.js";
import { loadPrompts } from "./llm/prompts.js";
import { createAnalyzer } from "./retrieval/analyzer-node.js";
import { Library } from "./retrieval/library.js";
import { assembleDeps, type Deps } from "./services.js";
import { widgetAsset } from "./widget/asset-node.js";

export { createEmbedder, type Deps, type Services } from "./services.js";

/** Node: builds every client once from validated config; the caller owns closing the database. */
export async function createDeps(env: Env, overrides: Partial<Deps> = {}): Promise<Deps> {
  const analyzer = overrides.analyzer ?? createAnalyzer();
  const db = overrides.db ?? (await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE }));
  const logger = overrides.logger ?? createLogger(env.LOG_LEVEL);
  const metrics = overrides.metrics ?? createPrometheusMetrics();
  // Loaded on first use (node.ts loads it before serving), then kept up with the database's generation.
  const library = "library" in overrides ? overrides.library : env.LEXICAL_INDEX === "memory" ? new Library(createLibraryStore(db), { logger }) : undefined;
  if (library) metrics.watchLibrary(() => library.counts());
  const parts = {
    runtime: "node" as const,
    db,
    analyzer,
    logger,
    library,
    metrics,
    widget: overrides.widget ?? widgetAsset(),
    prompts: "chat" in overrides || env.CHAT_PROVIDER === "none" ? undefined : await loadPrompts(env.PROMPTS_DIR),
    idf,
  };
  const deps = assembleDeps(env, parts, overrides);
  // Bound to this very object: settings a caller changes later (tests change webhooks) are what the next attempt reads.
  deps.jobs ??= pool(deps);
  return deps;
}
