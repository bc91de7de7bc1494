import type { Db, Queryable } from "./db.js";

/** Subscriptions (who hears of new matches, by webhook or polling), their notifications and the webhook deliveries of each. */
export type Subscription = { id: string; externalId: string | null; url: string | null; createdAt: string };
export type SubscriptionTarget = { id: string; tenantId: string; externalId: string | null; url: string | null };
export type StoredNotification = { id: number; createdAt: string; payload: Record<string, unknown> };
export type DeliveryStatus = "pending" | "delivered" | "failed";
export type DeliveryLogEntry = {
  notificationId: number;
  policyId: string;
  company: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
};
/** A delivery claimed for sending, with what to send and where. */
export type DueDelivery = {
  notificationId: string;
  subscriptionId: string;
  attempts: number;
  url: string;
  secret: string;
  payload: Record<string, unknown>;
  createdAt: string;
};

type SubRow = { id: string; external_id: string | null; url: string | null; created_at: Date | string };
const toSub = (r: SubRow): Subscription => ({ id: r.id, externalId: r.external_id, url: r.url, createdAt: new Date(r.created_at).toISOString() });
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function insertSubscription(
  db: Queryable,
  s: { id: string; tenantId: string; externalId: string | null; url: string | null; secret: string; createdAt: Date },
): Promise<Subscription> {
  const { rows } = await db.query<SubRow>(
    "INSERT INTO subscriptions (id, tenant_id, external_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, external_id, url, created_at",
    [s.id, s.tenantId, s.externalId, s.url, s.secret, s.createdAt.toISOString()],
  );
  return toSub(rows[0]);
}

export async function getSubscription(db: Queryable, tenantId: string, id: string): Promise<Subscription | undefined> {
  const { rows } = await db.query<SubRow>("SELECT id, external_id, url, created_at FROM subscriptions WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  return rows[0] && toSub(rows[0]);
}

/** A tenant's subscriptions, newest first. */
export async function listSubscriptions(db: Queryable, tenantId: string): Promise<Subscription[]> {
  const { rows } = await db.query<SubRow>("SELECT id, external_id, url, created_at FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at DESC, id", [
    tenantId,
  ]);
  return rows.map(toSub);
}

export async function deleteSubscription(db: Queryable, id: string): Promise<void> {
  await db.query("DELETE FROM subscriptions WHERE id = $1", [id]);
}

/** Every tenant's subscriptions: what a changed policy is matched for. */
export async function allSubscriptionTargets(db: Queryable): Promise<SubscriptionTarget[]> {
  const { rows } = await db.query<{ id: string; tenant_id: string; external_id: string | null; url: string | null }>(
    "SELECT id, tenant_id, external_id, url FROM subscriptions",
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, externalId: r.external_id, url: r.url }));
}

/** Stores a notification unless this company, policy and version had one; returns its id, or undefined when it existed. */
export async function insertNotification(
  db: Queryable,
  n: { tenantId: string; externalId: string; policyId: string; policyHash: string; verdict: string; payload: Record<string, unknown> },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO notifications (tenant_id, external_id, policy_id, policy_hash, verdict, payload) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING RETURNING id::text`,
    [n.tenantId, n.externalId, n.policyId, n.policyHash, n.verdict, JSON.stringify(n.payload)],
  );
  return rows[0]?.id;
}

/** A notification's deliveries, one per webhook subscription, pending. */
export async function queueDeliveries(db: Queryable, notificationId: string, subscriptionIds: string[]): Promise<void> {
  await db.query("INSERT INTO deliveries (notification_id, subscription_id, status) SELECT $1::bigint, unnest($2::text[]), 'pending' ON CONFLICT DO NOTHING", [
    notificationId,
    subscriptionIds,
  ]);
}

/** A company's notifications after `after`, oldest first, up to 100. */
export async function notificationsAfter(db: Queryable, tenantId: string, externalId: string, after: number): Promise<StoredNotification[]> {
  const { rows } = await db.query<{ id: string; created_at: Date | string; payload: Record<string, unknown> }>(
    "SELECT id::text, created_at, payload FROM notifications WHERE tenant_id = $1 AND external_id = $2 AND id > $3 ORDER BY id LIMIT 100",
    [tenantId, externalId, after],
  );
  return rows.map((r) => ({ id: Number(r.id), createdAt: new Date(r.created_at).toISOString(), payload: r.payload }));
}

/** A subscription's deliveries, newest first, up to 100. */
export async function deliveryLog(db: Queryable, subscriptionId: string): Promise<DeliveryLogEntry[]> {
  const { rows } = await db.query<{
    notification_id: string;
    policy_id: string;
    external_id: string;
    status: DeliveryStatus;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    next_attempt_at: Date | string;
    delivered_at: Date | string | null;
  }>(
    `SELECT d.notification_id::text, n.policy_id, n.external_id, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.delivered_at
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.subscription_id = $1 ORDER BY d.notification_id DESC LIMIT 100`,
    [subscriptionId],
  );
  return rows.map((r) => ({
    notificationId: Number(r.notification_id),
    policyId: r.policy_id,
    company: r.external_id,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    nextAttemptAt: r.status === "pending" ? iso(r.next_attempt_at) : null,
    deliveredAt: iso(r.delivered_at),
  }));
}

/**
 * Claims up to `limit` due deliveries, each with a lease of `leaseSeconds` so
 * that several processes never send one twice at once.
 */
export async function claimDueDeliveries(db: Queryable, leaseSeconds: number, limit: number): Promise<DueDelivery[]> {
  const { rows } = await db.query<{
    notification_id: string;
    subscription_id: string;
    attempts: number;
    url: string;
    secret: string;
    payload: Record<string, unknown>;
    created_at: Date | string;
  }>(
    `UPDATE deliveries d SET next_attempt_at = now() + make_interval(secs => $1)
     FROM subscriptions s, notifications n
     WHERE s.id = d.subscription_id AND n.id = d.notification_id
       AND (d.notification_id, d.subscription_id) IN (
         SELECT notification_id, subscription_id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING d.notification_id::text, d.subscription_id, d.attempts, s.url, s.secret, n.payload, n.created_at`,
    [leaseSeconds, limit],
  );
  return rows.map((r) => ({
    notificationId: r.notification_id,
    subscriptionId: r.subscription_id,
    attempts: r.attempts,
    url: r.url,
    secret: r.secret,
    payload: r.payload,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

export async function markDelivered(
  db: Queryable,
  d: { notificationId: string; subscriptionId: string; attempts: number; status: number | null },
): Promise<void> {
  await db.query(
    "UPDATE deliveries SET status = 'delivered', attempts = $3, last_status = $4, last_error = NULL, delivered_at = now() WHERE notification_id = $1::bigint AND subscription_id = $2",
    [d.notificationId, d.subscriptionId, d.attempts, d.status],
  );
}

/** Records a failed attempt: pending again after `retryInMs`, or failed for good. */
export async function markAttemptFailed(
  db: Queryable,
  d: { notificationId: string; subscriptionId: string; attempts: number; status: number | null; error: string; final: boolean; retryInMs: number },
): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = $3, attempts = $4, last_status = $5, last_error = $6, next_attempt_at = now() + make_interval(secs => $7)
     WHERE notification_id = $1::bigint AND subscription_id = $2`,
    [d.notificationId, d.subscriptionId, d.final ? "failed" : "pending", d.attempts, d.status, d.error.slice(0, 500), d.retryInMs / 1000],
  );
}

/** Milliseconds until the next pending delivery falls due (negative: overdue); null when none is pending. */
export async function msUntilNextDelivery(db: Db): Promise<number | null> {
  const { rows } = await db.query<{ wait_ms: number | null }>(
    "SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::int AS wait_ms FROM deliveries WHERE status = 'pending'",
  );
  return rows[0]?.wait_ms ?? null;
}
