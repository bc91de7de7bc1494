/**
 * Webhook delivery, a scheduled kind of the one job runner (src/jobs/): one
 * job per notification and webhook subscription. An attempt POSTs the
 * notification signed (HMAC-SHA256) and records the outcome in the delivery's
 * log row; a failure throws, and the runner retries it with backoff up to
 * WEBHOOK_MAX_ATTEMPTS, then fails it. Registered in src/job-runners.ts.
 */
import { createHmac } from "node:crypto";
import type { Agent } from "undici";
import type { Db } from "../db/db.js";
import { deliveryOfJob, markAttemptFailed, markDelivered } from "../db/subscription-store.js";
import type { Job } from "../jobs/job.js";
import type { JobAttempt, RetryPolicy } from "../jobs/queue.js";
import type { Logger } from "../lib/logger.js";
import type { WebhookConfig } from "./notify.js";
import { PrivateAddressError } from "./webhook-address.js";

export type DeliveryDeps = { db: Db; logger?: Logger; webhooks?: WebhookConfig };

/** The signature header a receiver checks: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")). */
export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex")}`;
}

/** Deliveries run where webhooks are configured. */
export const webhooksEnabled = (deps: DeliveryDeps) => !!deps.webhooks;

export const webhookRetry = (deps: DeliveryDeps): RetryPolicy => ({ maxAttempts: deps.webhooks?.maxAttempts ?? 1, baseMs: deps.webhooks?.retryBaseMs ?? 0 });

type Sender = typeof import("./webhook-agent.js");
// Named so that no bundler follows it: undici needs node:sqlite, which the Workers bundle cannot resolve (and Workers never send).
const SENDER = "./webhook-agent.js";
let sender: Promise<Sender> | undefined;
const loadSender = () => (sender ??= import(SENDER) as Promise<Sender>);

/** One agent per configuration: each connection it opens is checked on the address it dials, then reused while it lasts. */
const agents = new WeakMap<WebhookConfig, Promise<Agent>>();
function agentFor(config: WebhookConfig): Promise<Agent> {
  let agent = agents.get(config);
  if (!agent) {
    agent = loadSender().then((m) => m.createWebhookAgent({ allowPrivate: !!config.allowPrivate, resolve: config.resolve }));
    agents.set(config, agent);
  }
  return agent;
}

const causes = (err: unknown): unknown[] => (err instanceof Error && err.cause && err.cause !== err ? [err, ...causes(err.cause)] : [err]);

/**
 * One attempt at a delivery. A delivery already delivered or failed (a run
 * that recorded it and died before the job did), or gone with its
 * subscription, is nothing to do.
 */
export async function deliverWebhook(deps: DeliveryDeps, job: Job, attempt: JobAttempt): Promise<void> {
  const config = deps.webhooks;
  if (!config) throw new Error("webhooks are not configured");
  const row = await deliveryOfJob(deps.db, job.id);
  if (row?.status !== "pending") return;
  const body = JSON.stringify({ id: Number(row.notificationId), createdAt: row.createdAt, ...row.payload });
  let status: number | null = null;
  let error: string | null = null;
  const timeout = AbortSignal.timeout(config.timeoutMs);
  try {
    const { postWebhook } = await loadSender();
    status = await postWebhook(await agentFor(config), row.url, {
      signal: AbortSignal.any([timeout, attempt.signal]),
      headers: {
        "content-type": "application/json",
        "user-agent": "policy-match-webhooks/1",
        "x-policy-match-delivery": `${row.notificationId}.${row.subscriptionId}`,
        "x-policy-match-signature": signature(row.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (err) {
    // Handed back unrecorded: the runner queues it again.
    if (attempt.signal.aborted) throw err;
    // The log is the tenant's to read: it says what happened, not what the network looks like inside.
    error = causes(err).some((e) => e instanceof PrivateAddressError)
      ? new PrivateAddressError().message
      : timeout.aborted
        ? `no answer within ${config.timeoutMs} ms`
        : "connection failed";
    deps.logger?.debug("webhook connection error", { subscription: row.subscriptionId, message: String((err as Error).cause ?? (err as Error).message) });
  }
  if (!error) return markDelivered(deps.db, { jobId: job.id, attempts: attempt.number, status });
  await markAttemptFailed(deps.db, { jobId: job.id, attempts: attempt.number, status, error, final: attempt.last });
  deps.logger?.warn(attempt.last ? "webhook delivery failed for good" : "webhook delivery failed; will retry", {
    subscription: row.subscriptionId,
    notification: row.notificationId,
    attempts: attempt.number,
    error,
  });
  throw new Error(error);
}
