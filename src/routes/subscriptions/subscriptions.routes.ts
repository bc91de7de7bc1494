import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { accessErrors, ErrorSchema, jsonResponse } from "../schemas.js";

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

export const subscribeRoute = createRoute({
  method: "post",
  path: "/v1/subscriptions",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Subscribe one saved company, or all of the tenant's, to new matching policies: by webhook or by polling",
  description:
    'A webhook receives a POST per notification with `x-policy-match-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>` and `x-policy-match-delivery` (unique per delivery, for idempotency). Failed deliveries are retried with doubling delays.',
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              externalId: z
                .string()
                .min(1)
                .max(200)
                .optional()
                .openapi({ description: "A saved company (default: every saved company of the tenant)", example: "91420100MA4K2XXXXX" }),
              url: z.string().url().max(2000).optional().openapi({
                description: "Webhook URL, https in production (default: none, poll instead)",
                example: "https://park.example.cn/hooks/policy-match",
              }),
            })
            .openapi("SubscriptionInput"),
        },
      },
    },
  },
  responses: {
    201: jsonResponse(
      SubscriptionSchema.extend({ secret: z.string().openapi({ description: "Signing secret, shown once", example: "whsec_…" }) }).openapi("NewSubscription"),
      "Subscribed",
    ),
    400: jsonResponse(ErrorSchema, "A URL that is not http(s), or points into a private network"),
    404: jsonResponse(ErrorSchema, "No such saved company"),
    ...accessErrors("match"),
  },
});
export const listRoute = createRoute({
  method: "get",
  path: "/v1/subscriptions",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "The tenant's subscriptions (without secrets)",
  responses: {
    200: jsonResponse(z.object({ items: z.array(SubscriptionSchema).openapi({ description: "Newest first" }) }), "Subscriptions"),
    ...accessErrors("match"),
  },
});
const IdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "Subscription id", example: "sub_3f9a0c2e4b7d4e1a" }) });
export const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/subscriptions/{id}",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Unsubscribe (pending deliveries are dropped)",
  request: { params: IdParams },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string().openapi({ example: "sub_3f9a0c2e4b7d4e1a" }), deleted: z.literal(true).openapi({ description: "Gone" }) }),
      "Deleted",
    ),
    404: jsonResponse(ErrorSchema, "No such subscription"),
    ...accessErrors("match"),
  },
});
export const deliveriesRoute = createRoute({
  method: "get",
  path: "/v1/subscriptions/{id}/deliveries",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "The webhook delivery log: status, attempts, last error",
  request: { params: IdParams },
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
export const notificationsRoute = createRoute({
  method: "get",
  path: "/v1/companies/{externalId}/notifications",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Poll a subscribed company's notifications, oldest first after a given id",
  request: {
    params: z.object({ externalId: z.string().min(1).max(200).openapi({ description: "The saved company", example: "91420100MA4K2XXXXX" }) }),
    query: z.object({ after: z.coerce.number().int().min(0).optional().openapi({ description: "Only ids after this one (default 0)", example: 41 }) }),
  },
  responses: {
    200: jsonResponse(z.object({ items: z.array(NotificationSchema).openapi({ description: "Up to 100, oldest first" }) }), "Notifications"),
    404: jsonResponse(ErrorSchema, "No such saved company"),
    ...accessErrors("match"),
  },
});
