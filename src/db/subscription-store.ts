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
/** A delivery's job, with what to send and where. */
export type DueDelivery = {
  notificationId: string;
  subscriptionId: string;
  status: DeliveryStatus;
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

/** Deletes a subscription, its deliveries, and the jobs of those not yet sent (cancelled). */
export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE status IN ('queued', 'running')
       AND id IN (SELECT job_id FROM deliveries WHERE subscription_id = $1)`,
      [id],
    );
    await tx.query("DELETE FROM subscriptions WHERE id = $1", [id]);
  });
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

/** A notification's deliveries, one per webhook subscription, pending, each with the job that sends it. */
export async function queueDeliveries(db: Queryable, notificationId: string, deliveries: Array<{ subscriptionId: string; jobId: string }>): Promise<void> {
  await db.query(
    `INSERT INTO deliveries (notification_id, subscription_id, job_id, status)
     SELECT $1::bigint, u.subscription_id, u.job_id, 'pending' FROM unnest($2::text[], $3::text[]) AS u(subscription_id, job_id) ON CONFLICT DO NOTHING`,
    [notificationId, deliveries.map((d) => d.subscriptionId), deliveries.map((d) => d.jobId)],
  );
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
    next_attempt_at: Date | string | null;
    delivered_at: Date | string | null;
  }>(
    // The next try is the delivery job's due time.
    `SELECT d.notification_id::text, n.policy_id, n.external_id, d.status, d.attempts, d.last_status, d.last_error, j.run_after AS next_attempt_at, d.delivered_at
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id LEFT JOIN jobs j ON j.id = d.job_id
     WHERE d.subscription_id = $1 ORDER BY d.notification_id DESC LIMIT 100`,
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

/** The delivery a webhook job sends, with its subscription's address and secret and the notification; undefined when it is gone. */
export async function deliveryOfJob(db: Queryable, jobId: string): Promise<DueDelivery | undefined> {
  const { rows } = await db.query<{
    notification_id: string;
    subscription_id: string;
    status: DeliveryStatus;
    url: string;
    secret: string;
    payload: Record<string, unknown>;
    created_at: Date | string;
  }>(
    `SELECT d.notification_id::text, d.subscription_id, d.status, s.url, s.secret, n.payload, n.created_at
     FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN notifications n ON n.id = d.notification_id
     WHERE d.job_id = $1`,
    [jobId],
  );
  const r = rows[0];
  return (
    r && {
      notificationId: r.notification_id,
      subscriptionId: r.subscription_id,
      status: r.status,
      url: r.url,
      secret: r.secret,
      payload: r.payload,
      createdAt: new Date(r.created_at).toISOString(),
    }
  );
}

export async function markDelivered(db: Queryable, d: { jobId: string; attempts: number; status: number | null }): Promise<void> {
  await db.query("UPDATE deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL, delivered_at = now() WHERE job_id = $1", [
    d.jobId,
    d.attempts,
    d.status,
  ]);
}

/** Records a failed attempt: still pending (its job retries it), or failed for good. */
export async function markAttemptFailed(
  db: Queryable,
  d: { jobId: string; attempts: number; status: number | null; error: string; final: boolean },
): Promise<void> {
  await db.query("UPDATE deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5 WHERE job_id = $1", [
    d.jobId,
    d.final ? "failed" : "pending",
    d.attempts,
    d.status,
    d.error.slice(0, 500),
  ]);
}
