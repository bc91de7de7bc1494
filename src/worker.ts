/**
 * Cloudflare Workers entry: the same Hono app as on Node. PostgreSQL comes
 * through Hyperdrive (pg with nodejs_compat), Chinese words from jieba-wasm
 * (the same segmentation as native jieba), embeddings from the local embedder
 * (jieba's idf table bundled) or an OpenAI-compatible endpoint, the widget
 * from static assets; configuration from wrangler.toml vars and secrets.
 * What is pure (segmenter, prompts, metrics) is built once per isolate; the
 * database connection once per request, as Workers require.
 */
import { add_word, cut, initSync } from "jieba-wasm";
import jiebaWasm from "../node_modules/jieba-wasm/pkg/web/jieba_rs_wasm_bg.wasm";
import answerPrompt from "../prompts/answer.md";
import rewritePrompt from "../prompts/query-rewrite.md";
import criteriaPrompt from "../prompts/criteria-extraction.md";
import jiebaIdf from "@node-rs/jieba/idf.txt";
import type { ExecutionContext } from "hono";
import { createApp } from "./app.js";
import { createPostgresDb } from "./db/postgres.js";
import { assembleDeps, type RuntimeParts } from "./deps-core.js";
import { parseEnv, type Env } from "./env.js";
import { createConsoleLogger } from "./lib/console-logger.js";
import { createMetrics } from "./lib/metrics.js";
import { parsePrompt, type Prompts } from "./llm/prompts.js";
import { analyzerFrom } from "./retrieval/analyzer.js";

type Bindings = { HYPERDRIVE: { connectionString: string } } & Record<string, unknown>;

type Isolate = { env: Env; parts: Omit<RuntimeParts, "db" | "runtime"> };
let isolate: Isolate | undefined;

function setUp(bindings: Bindings): Isolate {
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
  return { env, parts: { analyzer, prompts, idf, logger: createConsoleLogger(env.LOG_LEVEL), metrics: createMetrics() } };
}

export default {
  async fetch(request: Request, bindings: Bindings, ctx: ExecutionContext): Promise<Response> {
    isolate ??= setUp(bindings);
    const db = await createPostgresDb(isolate.env.DATABASE_URL!, 5);
    const app = createApp(assembleDeps(isolate.env, { ...isolate.parts, db, runtime: "workers" }));
    const response = await app.fetch(request, bindings, ctx);
    if (!response.body) {
      ctx.waitUntil(db.close());
      return response;
    }
    // A streamed answer still writes its turn at the end: the connection closes after the body.
    const { readable, writable } = new TransformStream();
    ctx.waitUntil(response.body.pipeTo(writable).finally(() => db.close()));
    return new Response(readable, response);
  },
};
