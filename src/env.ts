import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** 0 picks a free port (tests). */
    PORT: int(8787, 0).pipe(z.number().max(65535)),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** Server processes sharing the port (node:cluster); more than 1 needs DATABASE_URL. */
    WEB_CONCURRENCY: int(1, 1).pipe(z.number().max(64)),
    /** Folder of the embedded PGlite database; "memory://" keeps it in memory. */
    DATA_DIR: z.string().min(1).default(".data/pglite"),
    /** When set, PostgreSQL (with pgvector) is used instead of PGlite. */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: int(10, 1),
    /**
     * Where lexical search runs: "memory" holds the library's BM25 index in each process (about 80 MB at
     * 100k chunks; loaded at start, following every change through the database), "sql" scores in the
     * database as before (small deployments; Workers always do).
     */
    LEXICAL_INDEX: z.enum(["memory", "sql"]).default("memory"),
    /** Policy files indexed at start (incrementally); empty disables it. */
    DEMO_DATA_DIR: z.string().default("data/policies"),
    INGEST_ON_START: bool.default(true),
    /** Folders the admin API may index from (comma-separated); defaults to DEMO_DATA_DIR. */
    ADMIN_INGEST_ROOTS: z.string().optional(),
    /** URL prefixes the admin API may fetch policy documents from (comma-separated); empty: no fetching. */
    ADMIN_URL_PREFIXES: z.string().default(""),

    EMBEDDING_PROVIDER: z.enum(["local", "openai"]).default("local"),
    EMBEDDING_MODEL: z.string().min(1).optional(),
    EMBEDDING_BASE_URL: z.string().url().optional(),
    EMBEDDING_API_KEY: z.string().optional(),
    EMBEDDING_DIMENSIONS: z.coerce.number().int().min(1).max(2000).optional(),
    EMBEDDING_BATCH_SIZE: int(64, 1),
    EMBEDDING_TIMEOUT_MS: int(30_000, 100),
    EMBEDDING_CONCURRENCY: int(2, 1),
    EMBEDDING_MAX_RETRIES: int(6, 0),
    /**
     * A second embedding model to switch to without downtime: ingest writes its
     * vectors too, and POST /v1/admin/embeddings/switch fills the rest in the
     * background, then makes it the one that answers queries.
     */
    NEXT_EMBEDDING_PROVIDER: z.enum(["local", "openai"]).optional(),
    NEXT_EMBEDDING_MODEL: z.string().min(1).optional(),
    NEXT_EMBEDDING_BASE_URL: z.string().url().optional(),
    NEXT_EMBEDDING_API_KEY: z.string().optional(),
    NEXT_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(1).max(2000).optional(),

    CHAT_PROVIDER: z.enum(["none", "openai"]).default("none"),
    CHAT_MODEL: z.string().min(1).optional(),
    CHAT_BASE_URL: z.string().url().optional(),
    CHAT_API_KEY: z.string().optional(),
    /** Deadline for the whole model call, retry included; past it the answer is extractive. */
    CHAT_TIMEOUT_MS: int(20_000, 100),
    CHAT_MAX_TOKENS: int(1024, 16),
    CHAT_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
    /** How structured output (the query rewrite) is asked for: strict JSON schema, a tool call, or JSON mode. */
    CHAT_STRUCTURED_OUTPUT: z.enum(["jsonSchema", "functionCalling", "jsonMode"]).default("functionCalling"),
    /** Some servers reject stream_options.include_usage. */
    CHAT_STREAM_USAGE: bool.default(false),
    /** Rewrite the question (abbreviations, follow-ups, company facts) with the model before retrieval. */
    CHAT_QUERY_REWRITE: bool.default(true),
    /** At ingest, let the model structure conditions the rules left as text (each proposal verified against the text). */
    CHAT_REFINE_CRITERIA: bool.default(false),
    /** Folder of the prompt files. */
    PROMPTS_DIR: z.string().min(1).default("prompts"),
    /** Conversations untouched for this long are forgotten. */
    SESSION_TTL_HOURS: int(72, 1),

    MAX_BODY_BYTES: int(1_048_576, 1024),
    /** Limit of one upload request to POST /v1/admin/upload (all its files). */
    UPLOAD_MAX_BYTES: int(20 * 1_048_576, 1024),
    /** Where uploaded policy files are kept (they are the source the index is rebuilt from). */
    UPLOAD_DIR: z.string().min(1).default(".data/uploads"),
    MAX_QUESTION_CHARS: int(2000, 10),
    /** Default length of the plain-text answer offered for WeChat messages. */
    PLAIN_TEXT_MAX_CHARS: int(600, 50),
    RESPONSE_CACHE_SIZE: int(1000, 0),
    /**
     * Answers (/v1/chat, /v1/chat/completions, /v1/match) composed at once by one process; the rest wait in
     * arrival order. Unset: 2 for extractive answers (CPU work on the process's one thread: one composing while
     * another waits on the database; more only interleave, and a liveness probe waits behind every one of them),
     * 16 with a chat model (an answer then mostly waits on the model).
     */
    ANSWER_CONCURRENCY: z.coerce.number().int().min(1).optional(),
    /**
     * Requests one process serves at once (every route but /health); the rest wait at the door in arrival order.
     * Unset: 4 when answers are extractive (a cached answer is a few database reads and CPU work on one thread:
     * more at once only take turns, and every turn is one more a liveness probe waits behind), 32 with a chat
     * model (requests then mostly wait on the model).
     */
    REQUEST_CONCURRENCY: z.coerce.number().int().min(1).optional(),
    /** Defaults for new API keys (each key keeps its own). */
    KEY_RATE_PER_MINUTE: int(120, 1),
    KEY_DAILY_QUOTA: int(20_000, 1),
    /** Subscription webhooks: time one delivery may take, tries before giving up, first retry delay (doubling). */
    WEBHOOK_TIMEOUT_MS: int(5_000, 100),
    WEBHOOK_MAX_ATTEMPTS: int(8, 1),
    WEBHOOK_RETRY_BASE_MS: int(2_000, 1),
    /** Allow webhook URLs on loopback and private networks (off: a tenant could otherwise make the server call internal hosts). */
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Put question text in the request log lines. */
    LOG_QUESTIONS: bool.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.EMBEDDING_PROVIDER === "openai") {
      for (const key of ["EMBEDDING_MODEL", "EMBEDDING_BASE_URL"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when EMBEDDING_PROVIDER=openai" });
      }
    }
    if (env.NEXT_EMBEDDING_PROVIDER === "openai") {
      for (const key of ["NEXT_EMBEDDING_MODEL", "NEXT_EMBEDDING_BASE_URL"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when NEXT_EMBEDDING_PROVIDER=openai" });
      }
    }
    if (env.CHAT_PROVIDER === "openai") {
      for (const key of ["CHAT_MODEL", "CHAT_BASE_URL"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "required when CHAT_PROVIDER=openai" });
      }
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Pure: validates a record of strings (process.env, Workers bindings, a test's object). */
export function parseEnv(record: Record<string, string | undefined>): Env {
  // An empty string means "unset" for every variable: shells and .env files produce them.
  const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = i.path.join(".") || "(config)";
      const got = typeof cleaned[name] === "string" ? ` (got ${JSON.stringify(cleaned[name])})` : "";
      return `  ${name}: ${i.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
