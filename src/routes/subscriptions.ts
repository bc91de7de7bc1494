import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { randomBytes } from "node:crypto";
import type { AppEnv } from "../app-env.js";
import { authorize, tenantOf } from "../access/middleware.js";
import { kickDeliveries, refusedWebhookHost } from "../companies/notify.js";
import { getCompany } from "../companies/store.js";
import { AppError } from "../lib/errors.js";
import { accessErrors, ErrorSchema, jsonResponse } from "./schemas.js";


const SubscriptionSchema = z
  .object({
    id: z.string().openapi({ example: "sub_3f9a0c2e4b7d4e1a" }),
    externalId: z.string().nullable().openapi({ description: "The company subscribed; null: every saved company of the tenant" }),
    url: z.string().nullable().openapi({ description: "Webhook; null: polling only", example: "https://park.example.cn/hooks/policy-match" }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
  })
  .openapi("Subscription");

const NotificationSchema = z
  .object({
    id: z.number().int().openapi({ description: "Increasing; poll with ?after=<last id>", example: 42 }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
    event: z.literal("policy.matched").openapi({ description: "A new or changed policy matches the company" }),
    company: z.string().openapi({ example: "91420100MA4K2XXXXX" }),
    verdict: z.enum(["eligible", "needs_info"]).openapi({ description: "eligible: every condition met; needs_info: none unmet, some unknown" }),
    policy: z
      .object({
        id: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
        title: z.string().openapi({ example: "武汉市高新技术企业认定奖励" }),
        version: z.string().openapi({ description: "The policy's content hash: one notification per version" }),
        issuer: z.string().nullable().openapi({ example: "武汉市科学技术局" }),
        source: z.string().nullable().openapi({ description: "Where it was published" }),
        applyStart: z.string().nullable().openapi({ example: "2026-12-01" }),
        applyEnd: z.string().nullable().openapi({ example: "2026-12-31" }),
      })
      .openapi({ description: "The policy" }),
    checklist: z.array(z.record(z.string(), z.unknown())).openapi({ description: "Every criterion with its status and reason (as in /v1/match)" }),
    questions: z.array(z.string()).openapi({ description: "What the company still has to tell (needs_info)" }),
  })
  .passthrough()
  .openapi("Notification");

const createRouteDef = createRoute({
  method: "post", path: "/v1/subscriptions", middleware: [authorize("match")] as const, tags: ["companies"],
  summary: "Subscribe one saved company, or all of the tenant's, to new matching policies: by webhook or by polling",
  description:
    "A webhook receives a POST per notification with `x-policy-match-signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the secret>` and `x-policy-match-delivery` (unique per delivery, for idempotency). Failed deliveries are retried with doubling delays.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              externalId: z.string().min(1).max(200).optional().openapi({ description: "A saved company (default: every saved company of the tenant)", example: "91420100MA4K2XXXXX" }),
              url: z.string().url().max(2000).optional().openapi({ description: "Webhook URL, https in production (default: none, poll instead)", example: "https://park.example.cn/hooks/policy-match" }),
            })
            .openapi("SubscriptionInput"),
        },
      },
    },
  },
  responses: {
    201: jsonResponse(SubscriptionSchema.extend({ secret: z.string().openapi({ description: "Signing secret, shown once", example: "whsec_…" }) }).openapi("NewSubscription"), "Subscribed"),
    400: jsonResponse(ErrorSchema, "A URL that is not http(s), or points into a private network"),
    404: jsonResponse(ErrorSchema, "No such saved company"),
    ...accessErrors("match"),
  },
});
const listRoute = createRoute({
  method: "get", path: "/v1/subscriptions", middleware: [authorize("match")] as const, tags: ["companies"], summary: "The tenant's subscriptions (without secrets)",
  responses: { 200: jsonResponse(z.object({ items: z.array(SubscriptionSchema).openapi({ description: "Newest first" }) }), "Subscriptions"), ...accessErrors("match") },
});
const IdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "Subscription id", example: "sub_3f9a0c2e4b7d4e1a" }) });
const deleteRoute = createRoute({
  method: "delete", path: "/v1/subscriptions/{id}", middleware: [authorize("match")] as const, tags: ["companies"], summary: "Unsubscribe (pending deliveries are dropped)", request: { params: IdParams },
  responses: { 200: jsonResponse(z.object({ id: z.string().openapi({ example: "sub_3f9a0c2e4b7d4e1a" }), deleted: z.literal(true).openapi({ description: "Gone" }) }), "Deleted"), 404: jsonResponse(ErrorSchema, "No such subscription"), ...accessErrors("match") },
});
const deliveriesRoute = createRoute({
  method: "get", path: "/v1/subscriptions/{id}/deliveries", middleware: [authorize("match")] as const, tags: ["companies"], summary: "The webhook delivery log: status, attempts, last error", request: { params: IdParams },
  responses: {
    200: jsonResponse(
      z.object({
        items: z
          .array(
            z.object({
              notificationId: z.number().int().openapi({ example: 42 }),
              policyId: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
              company: z.string().openapi({ example: "91420100MA4K2XXXXX" }),
              status: z.enum(["pending", "delivered", "failed"]).openapi({ description: "failed: gave up after WEBHOOK_MAX_ATTEMPTS" }),
              attempts: z.number().int().openapi({ example: 4 }),
              lastStatus: z.number().int().nullable().openapi({ description: "The receiver's last HTTP status", example: 200 }),
              lastError: z.string().nullable().openapi({ example: "HTTP 500" }),
              nextAttemptAt: z.string().nullable().openapi({ description: "When pending: the next try" }),
              deliveredAt: z.string().nullable().openapi({ example: "2026-11-30T09:00:03.000Z" }),
            }),
          )
          .openapi({ description: "Newest first, up to 100" }),
      }),
      "Deliveries",
    ),
    404: jsonResponse(ErrorSchema, "No such subscription"),
    ...accessErrors("match"),
  },
});
const notificationsRoute = createRoute({
  method: "get", path: "/v1/companies/{externalId}/notifications", middleware: [authorize("match")] as const, tags: ["companies"], summary: "Poll a subscribed company's notifications, oldest first after a given id",
  request: {
    params: z.object({ externalId: z.string().min(1).max(200).openapi({ description: "The saved company", example: "91420100MA4K2XXXXX" }) }),
    query: z.object({ after: z.coerce.number().int().min(0).optional().openapi({ description: "Only ids after this one (default 0)", example: 41 }) }),
  },
  responses: { 200: jsonResponse(z.object({ items: z.array(NotificationSchema).openapi({ description: "Up to 100, oldest first" }) }), "Notifications"), 404: jsonResponse(ErrorSchema, "No such saved company"), ...accessErrors("match") },
});

type SubRow = { id: string; external_id: string | null; url: string | null; created_at: Date | string };
const toSub = (r: SubRow) => ({ id: r.id, externalId: r.external_id, url: r.url, createdAt: new Date(r.created_at).toISOString() });
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

async function ownSubscription(c: Context<AppEnv>, id: string) {
  const { rows } = await c.get("deps").db.query<SubRow>("SELECT id, external_id, url, created_at FROM subscriptions WHERE id = $1 AND tenant_id = $2", [id, tenantOf(c)]);
  if (!rows[0]) throw new AppError("not_found", `没有这个订阅：${id}`);
  return rows[0];
}

export const subscriptionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createRouteDef, async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    if (body.url) {
      const u = new URL(body.url);
      if (!/^https?:$/.test(u.protocol)) throw new AppError("bad_request", "url: 只支持 http(s) 地址");
      if (await refusedWebhookHost(deps.webhooks ?? {}, u.hostname)) throw new AppError("bad_request", `url: ${u.hostname} 是本机或内网地址，不能作为 webhook`);
    }
    if (body.externalId && !(await getCompany(deps.db, tenantOf(c), body.externalId))) throw new AppError("not_found", `没有这家企业：${body.externalId}（请先 PUT /v1/companies/${body.externalId}）`);
    const id = `sub_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const secret = `whsec_${randomBytes(24).toString("base64url")}`;
    const { rows } = await deps.db.query<SubRow>(
      "INSERT INTO subscriptions (id, tenant_id, external_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, external_id, url, created_at",
      [id, tenantOf(c), body.externalId ?? null, body.url ?? null, secret, deps.clock.now().toISOString()],
    );
    return c.json({ ...toSub(rows[0]), secret }, 201);
  })
  .openapi(listRoute, async (c) => {
    const { rows } = await c.get("deps").db.query<SubRow>("SELECT id, external_id, url, created_at FROM subscriptions WHERE tenant_id = $1 ORDER BY created_at DESC, id", [tenantOf(c)]);
    return c.json({ items: rows.map(toSub) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await ownSubscription(c, id);
    await c.get("deps").db.query("DELETE FROM subscriptions WHERE id = $1", [id]);
    return c.json({ id, deleted: true as const }, 200);
  })
  .openapi(deliveriesRoute, async (c) => {
    const { id } = c.req.valid("param");
    await ownSubscription(c, id);
    const { rows } = await c.get("deps").db.query<{
      notification_id: string; policy_id: string; external_id: string; status: "pending" | "delivered" | "failed"; attempts: number; last_status: number | null; last_error: string | null; next_attempt_at: Date | string; delivered_at: Date | string | null;
    }>(
      `SELECT d.notification_id::text, n.policy_id, n.external_id, d.status, d.attempts, d.last_status, d.last_error, d.next_attempt_at, d.delivered_at
       FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.subscription_id = $1 ORDER BY d.notification_id DESC LIMIT 100`,
      [id],
    );
    // Anything due gets a nudge: the log is often read while waiting for a retry.
    kickDeliveries(c.get("deps"));
    return c.json({
      items: rows.map((r) => ({
        notificationId: Number(r.notification_id), policyId: r.policy_id, company: r.external_id, status: r.status, attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error,
        nextAttemptAt: r.status === "pending" ? iso(r.next_attempt_at) : null, deliveredAt: iso(r.delivered_at),
      })),
    }, 200);
  })
  .openapi(notificationsRoute, async (c) => {
    const deps = c.get("deps");
    const { externalId } = c.req.valid("param");
    if (!(await getCompany(deps.db, tenantOf(c), externalId))) throw new AppError("not_found", `没有这家企业：${externalId}`);
    const { rows } = await deps.db.query<{ id: string; created_at: Date | string; payload: Record<string, unknown> }>(
      "SELECT id::text, created_at, payload FROM notifications WHERE tenant_id = $1 AND external_id = $2 AND id > $3 ORDER BY id LIMIT 100",
      [tenantOf(c), externalId, c.req.valid("query").after ?? 0],
    );
    return c.json({ items: rows.map((r) => ({ id: Number(r.id), createdAt: new Date(r.created_at).toISOString(), ...r.payload })) as never }, 200);
  });
