/** What a tenant does with subscriptions: subscribe, list, unsubscribe, read the delivery log, poll notifications. */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/db.js";
import {
  type DeliveryLogEntry,
  deleteSubscription,
  deliveryLog,
  getSubscription,
  insertSubscription,
  notificationsAfter,
  type StoredNotification,
  type Subscription,
} from "../db/subscription-store.js";
import type { JobPool } from "../jobs/job.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import { getCompany } from "./company-profiles.js";
import { kickDeliveries, refusedWebhookHost, type WebhookConfig } from "./notify.js";

export { listSubscriptions } from "../db/subscription-store.js";

type SubscriptionDeps = { db: Db; clock: Clock; webhooks?: WebhookConfig; jobs?: JobPool };

/** Subscribes one saved company (or every one of the tenant's) by webhook or for polling; the secret is shown only here. */
export async function subscribe(
  deps: SubscriptionDeps,
  tenantId: string,
  body: { externalId?: string; url?: string },
): Promise<Subscription & { secret: string }> {
  if (body.url) {
    const u = new URL(body.url);
    if (!/^https?:$/.test(u.protocol)) throw new AppError("bad_request", "url: 只支持 http(s) 地址");
    if (await refusedWebhookHost(deps.webhooks ?? {}, u.hostname)) throw new AppError("bad_request", `url: ${u.hostname} 是本机或内网地址，不能作为 webhook`);
  }
  if (body.externalId && !(await getCompany(deps.db, tenantId, body.externalId)))
    throw new AppError("not_found", `没有这家企业：${body.externalId}（请先 PUT /v1/companies/${body.externalId}）`);
  const id = `sub_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const subscription = await insertSubscription(deps.db, {
    id,
    tenantId,
    externalId: body.externalId ?? null,
    url: body.url ?? null,
    secret,
    createdAt: deps.clock.now(),
  });
  return { ...subscription, secret };
}

async function ownSubscription(db: Db, tenantId: string, id: string): Promise<Subscription> {
  const subscription = await getSubscription(db, tenantId, id);
  if (!subscription) throw new AppError("not_found", `没有这个订阅：${id}`);
  return subscription;
}

/** Unsubscribes (pending deliveries go with it). */
export async function unsubscribe(deps: { db: Db }, tenantId: string, id: string): Promise<void> {
  await ownSubscription(deps.db, tenantId, id);
  await deleteSubscription(deps.db, id);
}

/** The subscription's delivery log; anything due gets a nudge, as the log is often read while waiting for a retry. */
export async function deliveriesOf(deps: SubscriptionDeps, tenantId: string, id: string): Promise<DeliveryLogEntry[]> {
  await ownSubscription(deps.db, tenantId, id);
  const log = await deliveryLog(deps.db, id);
  kickDeliveries(deps);
  return log;
}

/** A saved company's notifications after the given id, oldest first. */
export async function notificationsOf(deps: { db: Db }, tenantId: string, externalId: string, after: number): Promise<StoredNotification[]> {
  if (!(await getCompany(deps.db, tenantId, externalId))) throw new AppError("not_found", `没有这家企业：${externalId}`);
  return notificationsAfter(deps.db, tenantId, externalId, after);
}
