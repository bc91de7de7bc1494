import type { WebhookConfig } from "./companies/notify.js";
import type { Env } from "./env.js";

/** How large a request may be, and how long an answer's plain text. */
export type Limits = { maxBodyBytes: number; maxQuestionChars: number; plainTextMaxChars: number; uploadMaxBytes: number };

/** How long a conversation lives after its last turn. */
export type SessionSettings = { ttlHours: number };

/** Where staff may index from: folders and files under the roots, URLs under the prefixes (ADMIN_*). */
export type IngestSources = { ingestRoots: string[]; uploadDir: string; urlPrefixes: string[] };

export type WebhookSettings = WebhookConfig & { allowPrivate: boolean };

/** Plain configuration read from the environment: no client, no connection, nothing to close. */
export type Settings = {
  /** Where the app runs: Workers have no open mode, no local files and no work after the response. */
  runtime: "node" | "workers";
  /** The address the server listens on (HOST): the API is open without keys only on loopback. */
  listenHost: string;
  limits: Limits;
  sessions: SessionSettings;
  admin: IngestSources;
  /** Log question text (off by default: questions may describe a company's affairs). */
  logQuestions: boolean;
  /** Webhook delivery of subscription notifications; absent: notifications are kept for polling only. */
  webhooks?: WebhookSettings;
};

const list = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function readSettings(env: Env, runtime: Settings["runtime"]): Settings {
  return {
    runtime,
    listenHost: env.HOST,
    limits: {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxQuestionChars: env.MAX_QUESTION_CHARS,
      plainTextMaxChars: env.PLAIN_TEXT_MAX_CHARS,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    },
    sessions: { ttlHours: env.SESSION_TTL_HOURS },
    admin: { ingestRoots: list(env.ADMIN_INGEST_ROOTS ?? env.DEMO_DATA_DIR), uploadDir: env.UPLOAD_DIR, urlPrefixes: list(env.ADMIN_URL_PREFIXES) },
    logQuestions: env.LOG_QUESTIONS,
    webhooks: {
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    },
  };
}
