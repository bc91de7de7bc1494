/**
 * Subscriptions: when ingest adds or changes a policy, every subscribed
 * company is judged against it, and each new eligible or needs-info match
 * becomes one notification (per company, policy and policy version), kept
 * for polling and delivered to webhooks: signed (HMAC-SHA256), retried with
 * backoff, logged. Delivery runs beside ingest, never inside it.
 */
import { createHmac } from "node:crypto";
import type { Db } from "../db/db.js";
import type { Deps } from "../deps.js";
import { getPolicies, type PolicyRecord } from "../db/policy-store.js";
import type { Judgement } from "../policies/eligibility.js";
import { openPolicies } from "./matching.js";
import { getCompany, listAllCompanies, type SavedCompany } from "./store.js";
import { todayInChina } from "../lib/china-time.js";

export type WebhookConfig = {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  allowPrivate?: boolean;
  /** Addresses of a host name (default: the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
};

class PrivateAddress extends Error {}
type NotifyDeps = Pick<Deps, "db" | "clock"> & Partial<Pick<Deps, "logger" | "webhooks">>;

type SubscriptionRow = { id: string; tenant_id: string; external_id: string | null; url: string | null };

/** Queues the notifications the changed policies cause; returns how many are new. */
export async function queueNotifications(deps: NotifyDeps, policyIds: string[]): Promise<number> {
  if (policyIds.length === 0) return 0;
  const { rows: subs } = await deps.db.query<SubscriptionRow>("SELECT id, tenant_id, external_id, url FROM subscriptions");
  if (subs.length === 0) return 0;
  const policies = (await getPolicies(deps.db, policyIds)).filter((p) => p.status === "active");
  if (policies.length === 0) return 0;
  const today = todayInChina(deps.clock);
  let queued = 0;
  const byTenant = new Map<string, SubscriptionRow[]>();
  for (const s of subs) byTenant.set(s.tenant_id, [...(byTenant.get(s.tenant_id) ?? []), s]);
  for (const [tenantId, tenantSubs] of byTenant) {
    for (const company of await subscribedCompanies(deps.db, tenantId, tenantSubs)) {
      const hooks = tenantSubs.filter((s) => s.url && (s.external_id === null || s.external_id === company.externalId));
      for (const { policy, judgement } of openPolicies(policies, company.profile, today)) {
        queued += await notifyOne(deps.db, tenantId, company, policy, judgement, hooks.map((h) => h.id));
      }
    }
  }
  return queued;
}

async function subscribedCompanies(db: Db, tenantId: string, subs: SubscriptionRow[]): Promise<SavedCompany[]> {
  if (subs.some((s) => s.external_id === null)) return listAllCompanies(db, tenantId);
  const named = await Promise.all([...new Set(subs.map((s) => s.external_id!))].map((id) => getCompany(db, tenantId, id)));
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
      policy: { id: policy.id, title: policy.title, version: versionOf(policy), issuer: policy.issuer, source: policy.source, applyStart: policy.applyStart, applyEnd: policy.applyEnd },
      ...(judgement.programme ? { programme: judgement.programme } : {}),
      checklist: judgement.checklist,
      questions: [...new Set(judgement.missing.map((m) => m.question))],
    };
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO notifications (tenant_id, external_id, policy_id, policy_hash, verdict, payload) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING id::text`,
      [tenantId, company.externalId, policy.id, versionOf(policy), judgement.verdict, JSON.stringify(payload)],
    );
    if (!rows[0]) return 0;
    if (hookIds.length) {
      await tx.query(
        "INSERT INTO deliveries (notification_id, subscription_id, status) SELECT $1::bigint, unnest($2::text[]), 'pending' ON CONFLICT DO NOTHING",
        [rows[0].id, hookIds],
      );
    }
    return 1;
  });
}

/**
 * Loopback, private, link-local and shared (CGNAT) addresses, in any spelling
 * (IPv4-mapped IPv6 included): a tenant's webhook must not make the server
 * call inside its own network.
 */
export function isPrivateHost(hostname: string): boolean {
  let h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h === "0.0.0.0" || h === "::" || h === "::1") return true;
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(h);
  if (mapped) h = mapped[1] ?? [parseInt(mapped[2], 16) >> 8, parseInt(mapped[2], 16) & 255, parseInt(mapped[3], 16) >> 8, parseInt(mapped[3], 16) & 255].join(".");
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return h.includes(":") && /^(fc|fd|fe[89ab])/.test(h);
}

async function systemResolve(hostname: string): Promise<string[]> {
  const { lookup } = await import("node:dns/promises");
  return (await lookup(hostname, { all: true })).map((a) => a.address);
}

/** Where a name points; a name that resolves inside is refused at send time. */
async function resolvesPrivate(hostname: string, resolve = systemResolve): Promise<boolean> {
  if (isPrivateHost(hostname)) return true;
  try {
    return (await resolve(hostname.replace(/^\[|\]$/g, ""))).some(isPrivateHost);
  } catch {
    // Unresolvable: the delivery fails on its own.
    return false;
  }
}

/** The signature header a receiver checks: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")). */
export function signature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex")}`;
}

type Due = { notification_id: string; subscription_id: string; attempts: number; url: string; secret: string; payload: Record<string, unknown>; created_at: Date | string };

/**
 * Claims up to `limit` due deliveries, each with a lease so that several
 * processes never send one twice at once, and starts sending them. Returns
 * the attempts under way: a slow receiver holds up only its own.
 */
export async function startDue(deps: NotifyDeps, config: WebhookConfig, limit = 20): Promise<Array<Promise<void>>> {
  const leaseSeconds = Math.ceil(config.timeoutMs / 1000) + 30;
  const { rows } = await deps.db.query<Due>(
    `UPDATE deliveries d SET next_attempt_at = now() + make_interval(secs => $1)
     FROM subscriptions s, notifications n
     WHERE s.id = d.subscription_id AND n.id = d.notification_id
       AND (d.notification_id, d.subscription_id) IN (
         SELECT notification_id, subscription_id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING d.notification_id::text, d.subscription_id, d.attempts, s.url, s.secret, n.payload, n.created_at`,
    [leaseSeconds, limit],
  );
  return rows.map((row) => attempt(deps, config, row).catch((err) => deps.logger?.error("webhook attempt could not be recorded", { message: (err as Error).message })));
}

async function attempt(deps: NotifyDeps, config: WebhookConfig, row: Due) {
  const body = JSON.stringify({ id: Number(row.notification_id), createdAt: new Date(row.created_at).toISOString(), ...row.payload });
  let status: number | null = null;
  let error: string | null = null;
  try {
    if (!config.allowPrivate && (await resolvesPrivate(new URL(row.url).hostname, config.resolve))) throw new PrivateAddress();
    const res = await fetch(row.url, {
      method: "POST",
      redirect: "error",
      signal: AbortSignal.timeout(config.timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "policy-match-webhooks/1",
        "x-policy-match-delivery": `${row.notification_id}.${row.subscription_id}`,
        "x-policy-match-signature": signature(row.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    status = res.status;
    await res.body?.cancel();
    if (!res.ok) error = `HTTP ${res.status}`;
  } catch (err) {
    // The log is the tenant's to read: it says what happened, not what the network looks like inside.
    error = err instanceof PrivateAddress ? "refused: the address is on a private network" : (err as Error).name === "TimeoutError" ? `no answer within ${config.timeoutMs} ms` : "connection failed";
    deps.logger?.debug("webhook connection error", { subscription: row.subscription_id, message: String((err as Error).cause ?? (err as Error).message) });
  }
  const attempts = row.attempts + 1;
  if (!error) {
    await deps.db.query("UPDATE deliveries SET status = 'delivered', attempts = $3, last_status = $4, last_error = NULL, delivered_at = now() WHERE notification_id = $1::bigint AND subscription_id = $2", [row.notification_id, row.subscription_id, attempts, status]);
    return;
  }
  const failed = attempts >= config.maxAttempts;
  const backoffMs = Math.min(config.retryBaseMs * 2 ** (attempts - 1), 3_600_000);
  await deps.db.query(
    `UPDATE deliveries SET status = $3, attempts = $4, last_status = $5, last_error = $6, next_attempt_at = now() + make_interval(secs => $7)
     WHERE notification_id = $1::bigint AND subscription_id = $2`,
    [row.notification_id, row.subscription_id, failed ? "failed" : "pending", attempts, status, error.slice(0, 500), backoffMs / 1000],
  );
  deps.logger?.warn(failed ? "webhook delivery failed for good" : "webhook delivery failed; will retry", { subscription: row.subscription_id, notification: row.notification_id, attempts, error });
}

const running = new WeakMap<Db, { again: boolean }>();
const MAX_IN_FLIGHT = 16;

/**
 * Starts delivering in the background if this process is not already at it;
 * keeps going while deliveries are due, in flight or waiting for a retry,
 * with at most 16 in flight. Never awaited by ingest: a slow or dead receiver
 * costs ingest nothing, and other receivers nothing but one slot.
 */
export function kickDeliveries(deps: NotifyDeps): void {
  if (!deps.webhooks) return;
  const state = running.get(deps.db);
  if (state) return void (state.again = true);
  const mine = { again: false };
  running.set(deps.db, mine);
  const inFlight = new Set<Promise<void>>();
  const loop = async () => {
    for (;;) {
      mine.again = false;
      // Read each round: configuration can change while the loop lives (tests do).
      const config = deps.webhooks!;
      const room = MAX_IN_FLIGHT - inFlight.size;
      const started = room > 0 ? await startDue(deps, config, room) : [];
      for (const p of started) {
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      if (started.length > 0 || mine.again) continue;
      const { rows } = await deps.db.query<{ wait_ms: number | null }>(
        "SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::int AS wait_ms FROM deliveries WHERE status = 'pending'",
      );
      const wait = rows[0]?.wait_ms;
      if ((wait === null || wait === undefined) && inFlight.size === 0) return;
      // Wake for the next retry, or when an attempt in flight ends (it may schedule one).
      const timer = new Promise((r) => setTimeout(r, Math.min(Math.max(wait ?? 5_000, 10), 5_000)).unref?.());
      await Promise.race([timer, ...inFlight]);
    }
  };
  void loop()
    .catch((err) => deps.logger?.error("webhook delivery loop failed", { message: (err as Error).message }))
    .finally(() => running.delete(deps.db));
}
