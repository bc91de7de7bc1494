/**
 * Subscriptions: when ingest adds or changes a policy, every subscribed
 * company is judged against it, and each new eligible or needs-info match
 * becomes one notification (per company, policy and policy version), kept
 * for polling and delivered to webhooks: signed (HMAC-SHA256), retried with
 * backoff, logged. Delivery runs beside ingest, never inside it.
 */
import { createHmac } from "node:crypto";
import type { Agent } from "undici";
import type { Db } from "../db/db.js";
import { getPolicies } from "../db/policy-store.js";
import {
  allSubscriptionTargets,
  claimDueDeliveries,
  type DueDelivery,
  insertNotification,
  markAttemptFailed,
  markDelivered,
  msUntilNextDelivery,
  queueDeliveries,
  type SubscriptionTarget,
} from "../db/subscription-store.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import type { Logger } from "../lib/logger.js";
import type { Judgement } from "../policies/eligibility.js";
import type { PolicyRecord } from "../policies/policy.js";
import { getCompany, listAllCompanies, type SavedCompany } from "./company-profiles.js";
import { openPolicies } from "./matching.js";
import { isPrivateHost, isPublicAddress, literalAddress, PrivateAddressError } from "./webhook-address.js";

export type WebhookConfig = {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  allowPrivate?: boolean;
  /** Addresses of a host name, asked when a webhook connects (default: the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
};

type NotifyDeps = { db: Db; clock: Clock; logger?: Logger; webhooks?: WebhookConfig };

/** Queues the notifications the changed policies cause; returns how many are new. */
export async function queueNotifications(deps: NotifyDeps, policyIds: string[]): Promise<number> {
  if (policyIds.length === 0) return 0;
  const subs = await allSubscriptionTargets(deps.db);
  if (subs.length === 0) return 0;
  const policies = (await getPolicies(deps.db, policyIds)).filter((p) => p.status === "active");
  if (policies.length === 0) return 0;
  const today = todayInChina(deps.clock);
  let queued = 0;
  const byTenant = new Map<string, SubscriptionTarget[]>();
  for (const s of subs) byTenant.set(s.tenantId, [...(byTenant.get(s.tenantId) ?? []), s]);
  for (const [tenantId, tenantSubs] of byTenant) {
    for (const company of await subscribedCompanies(deps.db, tenantId, tenantSubs)) {
      const hooks = tenantSubs.filter((s) => s.url && (s.externalId === null || s.externalId === company.externalId));
      for (const { policy, judgement } of openPolicies(policies, company.profile, today)) {
        queued += await notifyOne(
          deps.db,
          tenantId,
          company,
          policy,
          judgement,
          hooks.map((h) => h.id),
        );
      }
    }
  }
  return queued;
}

async function subscribedCompanies(db: Db, tenantId: string, subs: SubscriptionTarget[]): Promise<SavedCompany[]> {
  if (subs.some((s) => s.externalId === null)) return listAllCompanies(db, tenantId);
  const named = await Promise.all([...new Set(subs.map((s) => s.externalId!))].map((id) => getCompany(db, tenantId, id)));
  return named.filter((c): c is SavedCompany => !!c);
}

/** A policy's version for subscribers: the hash of its document, not of the pipeline that indexed it. */
const versionOf = (policy: PolicyRecord) => (typeof policy.meta.sourceSha256 === "string" ? policy.meta.sourceSha256 : policy.contentHash);

/** One notification (new for this company, policy and version) and its deliveries; 0 when it was sent before. */
async function notifyOne(db: Db, tenantId: string, company: SavedCompany, policy: PolicyRecord, judgement: Judgement, hookIds: string[]): Promise<number> {
  return db.transaction(async (tx) => {
    const payload = {
      event: "policy.matched",
      company: company.externalId,
      verdict: judgement.verdict,
      policy: {
        id: policy.id,
        title: policy.title,
        version: versionOf(policy),
        issuer: policy.issuer,
        source: policy.source,
        applyStart: policy.applyStart,
        applyEnd: policy.applyEnd,
      },
      ...(judgement.programme ? { programme: judgement.programme } : {}),
      checklist: judgement.checklist,
      questions: [...new Set(judgement.missing.map((m) => m.question))],
    };
    const id = await insertNotification(tx, {
      tenantId,
      externalId: company.externalId,
      policyId: policy.id,
      policyHash: versionOf(policy),
      verdict: judgement.verdict,
      payload,
    });
    if (!id) return 0;
    if (hookIds.length) await queueDeliveries(tx, id, hookIds);
    return 1;
  });
}

/**
 * Whether a webhook URL's host is refused when the subscription is made: a
 * local name or non-public address, or a name that resolves to one now. Only
 * early feedback for the tenant: a name can point elsewhere later, and what
 * decides is the check at connect time (webhook-agent.ts). An unresolvable or
 * slow name is accepted here; its deliveries fail on their own.
 */
export async function refusedWebhookHost(config: Pick<WebhookConfig, "allowPrivate" | "resolve">, hostname: string): Promise<boolean> {
  if (config.allowPrivate) return false;
  if (isPrivateHost(hostname)) return true;
  if (literalAddress(hostname)) return false;
  const resolve = config.resolve ?? (async (h: string) => (await (await import("node:dns/promises")).lookup(h, { all: true })).map((a) => a.address));
  const addresses = await Promise.race([resolve(hostname).catch(() => []), new Promise<string[]>((r) => setTimeout(() => r([]), 2_000).unref?.())]);
  return addresses.some((a) => !isPublicAddress(a));
}

/** The signature header a receiver checks: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")). */
export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex")}`;
}

/**
 * Claims up to `limit` due deliveries, each with a lease so that several
 * processes never send one twice at once, and starts sending them. Returns
 * the attempts under way: a slow receiver holds up only its own. An attempt
 * cut short by `abandon` records nothing; its lease lapses and it is sent again.
 */
export async function startDue(deps: NotifyDeps, config: WebhookConfig, limit = 20, abandon = new AbortController().signal): Promise<Array<Promise<void>>> {
  const leaseSeconds = Math.ceil(config.timeoutMs / 1000) + 30;
  const rows = await claimDueDeliveries(deps.db, leaseSeconds, limit);
  return rows.map((row) =>
    attempt(deps, config, row, abandon).catch((err) => deps.logger?.error("webhook attempt could not be recorded", { message: (err as Error).message })),
  );
}

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

async function attempt(deps: NotifyDeps, config: WebhookConfig, row: DueDelivery, abandon: AbortSignal) {
  const body = JSON.stringify({ id: Number(row.notificationId), createdAt: row.createdAt, ...row.payload });
  let status: number | null = null;
  let error: string | null = null;
  const timeout = AbortSignal.timeout(config.timeoutMs);
  try {
    const { postWebhook } = await loadSender();
    status = await postWebhook(await agentFor(config), row.url, {
      signal: AbortSignal.any([timeout, abandon]),
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
    if (abandon.aborted) return;
    // The log is the tenant's to read: it says what happened, not what the network looks like inside.
    error = causes(err).some((e) => e instanceof PrivateAddressError)
      ? new PrivateAddressError().message
      : timeout.aborted
        ? `no answer within ${config.timeoutMs} ms`
        : "connection failed";
    deps.logger?.debug("webhook connection error", { subscription: row.subscriptionId, message: String((err as Error).cause ?? (err as Error).message) });
  }
  const attempts = row.attempts + 1;
  if (!error) {
    await markDelivered(deps.db, { notificationId: row.notificationId, subscriptionId: row.subscriptionId, attempts, status });
    return;
  }
  const failed = attempts >= config.maxAttempts;
  const backoffMs = Math.min(config.retryBaseMs * 2 ** (attempts - 1), 3_600_000);
  await markAttemptFailed(deps.db, {
    notificationId: row.notificationId,
    subscriptionId: row.subscriptionId,
    attempts,
    status,
    error,
    final: failed,
    retryInMs: backoffMs,
  });
  deps.logger?.warn(failed ? "webhook delivery failed for good" : "webhook delivery failed; will retry", {
    subscription: row.subscriptionId,
    notification: row.notificationId,
    attempts,
    error,
  });
}

type DeliveryLoop = {
  again: boolean;
  /** Set by drainDeliveries: send what is due, wait for what is under way, then stop (no waiting for retries). */
  draining: boolean;
  wake: () => void;
  abandon: AbortController;
  inFlight: Set<Promise<void>>;
  done: Promise<void>;
};
const running = new WeakMap<Db, DeliveryLoop>();
const MAX_IN_FLIGHT = 16;

/**
 * Starts delivering in the background if this process is not already at it;
 * keeps going while deliveries are due, in flight or waiting for a retry,
 * with at most 16 in flight. Never awaited by ingest: a slow or dead receiver
 * costs ingest nothing, and other receivers nothing but one slot. Before
 * closing the database, await drainDeliveries.
 */
export function kickDeliveries(deps: NotifyDeps & { runtime?: "node" | "workers" }): void {
  // Workers have no work after the response and cannot load the checked dialler: a Node process sends (its 30 s sweep).
  if (!deps.webhooks || deps.runtime === "workers") return;
  const state = running.get(deps.db);
  if (state) return void (state.again = true);
  let woken = () => {};
  const mine: DeliveryLoop = {
    again: false,
    draining: false,
    wake: () => woken(),
    abandon: new AbortController(),
    inFlight: new Set(),
    done: Promise.resolve(),
  };
  running.set(deps.db, mine);
  const { inFlight } = mine;
  const loop = async () => {
    while (!mine.abandon.signal.aborted) {
      mine.again = false;
      // Read each round: configuration can change while the loop lives (tests do).
      const config = deps.webhooks!;
      const room = MAX_IN_FLIGHT - inFlight.size;
      const started = room > 0 ? await startDue(deps, config, room, mine.abandon.signal) : [];
      for (const p of started) {
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      if (started.length > 0 || mine.again) continue;
      const wakeUp = new Promise<void>((r) => (woken = r));
      if (mine.draining) {
        if (inFlight.size === 0) return;
        await Promise.race([wakeUp, ...inFlight]);
        continue;
      }
      const wait = await msUntilNextDelivery(deps.db);
      if (wait === null && inFlight.size === 0) return;
      // Wake for the next retry, when an attempt in flight ends (it may schedule one), or when asked to drain.
      const timer = new Promise((r) => setTimeout(r, Math.min(Math.max(wait ?? 5_000, 10), 5_000)).unref?.());
      await Promise.race([timer, wakeUp, ...inFlight]);
    }
  };
  mine.done = loop()
    .catch((err) => deps.logger?.error("webhook delivery loop failed", { message: (err as Error).message }))
    .finally(() => running.delete(deps.db));
}

/**
 * Before a process closes its database (npm run ingest): sends what is due
 * and waits for the deliveries under way to be recorded, for at most
 * `timeoutMs`. Retries that are not yet due are left to the server. What is
 * still under way at the deadline is abandoned unrecorded: its lease lapses
 * and the next process that delivers sends it again. True when nothing was
 * abandoned.
 */
export async function drainDeliveries(deps: Pick<NotifyDeps, "db" | "logger">, timeoutMs: number): Promise<boolean> {
  const state = running.get(deps.db);
  if (!state) return true;
  state.draining = true;
  state.wake();
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([state.done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
  clearTimeout(timer);
  if (settled) return true;
  deps.logger?.warn("webhook deliveries still under way are left to a later run", { inFlight: state.inFlight.size });
  state.abandon.abort();
  await state.done;
  return false;
}
