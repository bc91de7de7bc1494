/**
 * Subscriptions: when ingest adds or changes a policy, every subscribed
 * company is judged against it, and each new eligible or needs-info match
 * becomes one notification (per company, policy and policy version), kept
 * for polling and delivered to webhooks: one job per webhook subscription,
 * run by the job pool (./webhook-delivery.ts sends). Delivery runs beside
 * ingest, never inside it.
 */
import type { Db } from "../db/db.js";
import { getPolicies } from "../db/policy-store.js";
import { allSubscriptionTargets, insertNotification, queueDeliveries, type SubscriptionTarget } from "../db/subscription-store.js";
import type { DeliveryParams, JobPool } from "../jobs/job.js";
import { queueJobs } from "../jobs/queue.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import type { Judgement } from "../policies/eligibility.js";
import type { PolicyRecord } from "../policies/policy.js";
import { getCompany, listAllCompanies, type SavedCompany } from "./company-profiles.js";
import { openPolicies } from "./matching.js";
import { isPrivateHost, isPublicAddress, literalAddress } from "./webhook-address.js";

export type WebhookConfig = {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  allowPrivate?: boolean;
  /** Addresses of a host name, asked when a webhook connects (default: the system resolver). */
  resolve?: (hostname: string) => Promise<string[]>;
};

type NotifyDeps = { db: Db; clock: Clock };

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
          deps,
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
async function notifyOne(
  deps: NotifyDeps,
  tenantId: string,
  company: SavedCompany,
  policy: PolicyRecord,
  judgement: Judgement,
  hookIds: string[],
): Promise<number> {
  return deps.db.transaction(async (tx) => {
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
    // The notification, its deliveries and their jobs, or none of them.
    const jobIds = await queueJobs(
      tx,
      "webhook",
      hookIds.map((subscriptionId): DeliveryParams => ({ notificationId: id, subscriptionId })),
      deps.clock.now(),
    );
    if (hookIds.length)
      await queueDeliveries(
        tx,
        id,
        hookIds.map((subscriptionId, i) => ({ subscriptionId, jobId: jobIds[i] })),
      );
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

/**
 * Starts delivering in the background (the job pool of src/jobs/) if this
 * process is not already at it. Never awaited by ingest: a slow or dead
 * receiver costs ingest nothing, and other receivers nothing but one slot.
 * Before closing the database, await drainDeliveries.
 */
export function kickDeliveries(deps: { jobs?: JobPool }): void {
  // Workers have no pool (no work after the response, and no checked dialler): a Node process sends (its 30 s sweep).
  deps.jobs?.kick();
}

/**
 * Before a process closes its database (npm run ingest): sends what is due
 * and waits for the deliveries under way to be recorded, for at most
 * `timeoutMs`. Retries that are not yet due are left to the server. What is
 * still under way at the deadline is abandoned unrecorded and queued again, for
 * the next process that delivers to send. True when nothing was abandoned.
 */
export async function drainDeliveries(deps: { jobs?: JobPool }, timeoutMs: number): Promise<boolean> {
  return deps.jobs ? deps.jobs.drain(timeoutMs) : true;
}
