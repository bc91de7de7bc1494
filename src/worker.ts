/**
 * Cloudflare Workers entry: the same Hono app as on Node. PostgreSQL comes
 * through Hyperdrive (pg with nodejs_compat), Chinese words from jieba-wasm
 * (the same segmentation as native jieba), embeddings from the local embedder
 * (jieba's idf table bundled) or an OpenAI-compatible endpoint, the widget
 * from static assets; configuration from wrangler.toml vars and secrets.
 * Everything is built once per isolate (segmenter, embedder with its parsed
 * idf table, answer cache, rate and key caches, metrics, the app); only the
 * database connection is opened per request, as Workers require (a socket
 * belongs to the request that opened it).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import jiebaIdf from "@node-rs/jieba/idf.txt";
import type { ExecutionContext } from "hono";
import { add_word, cut, initSync } from "jieba-wasm";
import jiebaWasm from "../node_modules/jieba-wasm/pkg/web/jieba_rs_wasm_bg.wasm";
import answerPrompt from "../prompts/answer.md";
import criteriaPrompt from "../prompts/criteria-extraction.md";
import rewritePrompt from "../prompts/query-rewrite.md";
import { type App, createApp } from "./app.js";
import type { Db } from "./db/db.js";
import { createPostgresDb } from "./db/postgres.js";
import { parseEnv } from "./env.js";
import { createConsoleLogger } from "./lib/console-logger.js";
import { createPrometheusMetrics } from "./lib/prometheus.js";
import { type Prompts, parsePrompt } from "./llm/prompts.js";
import { analyzerFrom } from "./retrieval/analyzer.js";
import { assembleDeps } from "./services.js";

type Bindings = { HYPERDRIVE: { connectionString: string } } & Record<string, unknown>;

/** The connection of the request being served: each request opens its own. */
const connections = new AsyncLocalStorage<Db>();

function connection(): Db {
  const db = connections.getStore();
  if (!db) throw new Error("no database connection: the database is used outside a request");
  return db;
}

/**
 * The one Db the isolate's app is built with. It hands every query to the
 * connection of the request it runs for, so what was built once (the rate
 * counter, the answer cache's library version, the key and model caches)
 * never holds an earlier request's closed connection.
 */
const requestDb: Db = {
  kind: "postgres",
  query: (sql, params) => connection().query(sql, params),
  transaction: (fn) => connection().transaction(fn),
  // fetch closes each request's connection once the response is written.
  close: async () => undefined,
};

let app: App | undefined;

function setUp(bindings: Bindings): App {
  // Vars and secrets are strings; bindings (Hyperdrive, assets) are objects and are not configuration.
  const strings = Object.fromEntries(Object.entries(bindings).filter((e): e is [string, string] => typeof e[1] === "string"));
  const env = parseEnv({ ...strings, DATABASE_URL: bindings.HYPERDRIVE.connectionString });
  initSync({ module: jiebaWasm });
  const analyzer = analyzerFrom({ cut: (text) => cut(text, true), addWords: (words) => words.forEach((w) => add_word(w, 100_000, "n")) });
  const prompts: Prompts = {
    answer: parsePrompt("answer.md", answerPrompt),
    rewrite: parsePrompt("query-rewrite.md", rewritePrompt),
    criteria: parsePrompt("criteria-extraction.md", criteriaPrompt),
  };
  // 6 MB of text: read only when a local embedder is configured.
  const idf = env.EMBEDDING_PROVIDER === "local" || env.NEXT_EMBEDDING_PROVIDER === "local" ? new TextEncoder().encode(jiebaIdf) : undefined;
  const logger = createConsoleLogger(env.LOG_LEVEL);
  const deps = assembleDeps(env, { runtime: "workers", db: requestDb, analyzer, prompts, idf, logger, metrics: createPrometheusMetrics() });
  // Once per isolate: a cold start, where the first request pays for the build.
  logger.info("isolate built", { embeddingModel: deps.embedder.modelName });
  return createApp(deps);
}

export default {
  async fetch(request: Request, bindings: Bindings, ctx: ExecutionContext): Promise<Response> {
    app ??= setUp(bindings);
    const db = await createPostgresDb(bindings.HYPERDRIVE.connectionString, 5);
    return connections.run(db, async () => {
      const response = await app!.fetch(request, bindings, ctx);
      if (!response.body) {
        ctx.waitUntil(db.close());
        return response;
      }
      // A streamed answer still writes its turn at the end: the connection closes after the body.
      const { readable, writable } = new TransformStream();
      ctx.waitUntil(response.body.pipeTo(writable).finally(() => db.close()));
      return new Response(readable, response);
    });
  },
};
