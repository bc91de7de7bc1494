import { createRoute, z } from "@hono/zod-openapi";
import { authorize, publicRoute } from "../../access/middleware.js";
import { accessErrors, CompanyProfileDoc, ErrorSchema, jsonResponse, MatchSummary } from "../schemas.js";

const ExternalId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}_.:@-]+$/u, "externalId: letters, digits and _ . : @ - only");
const IdParams = z.object({
  externalId: ExternalId.openapi({ description: "The caller's own id for the company (e.g. its 统一社会信用代码)", example: "91420100MA4K2XXXXX" }),
});

const CompanySchema = z
  .object({
    externalId: z.string().openapi({ example: "91420100MA4K2XXXXX" }),
    profile: CompanyProfileDoc,
    chatUpdates: z.boolean().openapi({ description: "The company agreed that facts it states in chat update this profile" }),
    version: z.number().int().openapi({ description: "Profile version: 1, then +1 at each change", example: 2 }),
    calendarUrl: z.string().openapi({
      description: "iCalendar feed of the company's deadlines; anyone with this URL can read it",
      example: "https://policy.example.gov.cn/calendar/cal_3f9a….ics",
    }),
    createdAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
    updatedAt: z.string().openapi({ example: "2026-11-30T09:30:00.000Z" }),
  })
  .openapi("Company");

export const putRoute = createRoute({
  method: "put",
  path: "/v1/companies/{externalId}",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Save a company's profile (a change keeps the previous version)",
  request: {
    params: IdParams,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              profile: CompanyProfileDoc.openapi({
                description: "The company; money in 万元",
                example: {
                  name: "武汉光谷某某光电科技有限公司",
                  region: { city: "武汉市", district: "洪山区" },
                  revenue: 5200,
                  qualifications: ["高新技术企业"],
                },
              }),
              chatUpdates: z.boolean().optional().openapi({ description: "Consent: facts the company states in chat update this profile (default false)" }),
            })
            .openapi("CompanyInput"),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(CompanySchema, "Updated"),
    201: jsonResponse(CompanySchema, "Created"),
    400: jsonResponse(ErrorSchema, "A bad profile field"),
    ...accessErrors("match"),
  },
});
export const getRoute = createRoute({
  method: "get",
  path: "/v1/companies/{externalId}",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "A saved company and the history of its profile",
  request: { params: IdParams },
  responses: {
    200: jsonResponse(
      CompanySchema.extend({
        history: z
          .array(
            z.object({
              version: z.number().int().openapi({ example: 1 }),
              profile: CompanyProfileDoc,
              source: z.enum(["api", "chat"]).openapi({ description: "Who changed it" }),
              changedAt: z.string().openapi({ example: "2026-11-30T09:00:00.000Z" }),
            }),
          )
          .openapi({ description: "Every version, newest first" }),
      }).openapi("CompanyWithHistory"),
      "The company",
    ),
    404: jsonResponse(ErrorSchema, "No such company for this tenant"),
    ...accessErrors("match"),
  },
});
export const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/companies/{externalId}",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Delete a company, its history and its calendar feed",
  request: { params: IdParams },
  responses: {
    200: jsonResponse(
      z.object({ externalId: z.string().openapi({ example: "91420100MA4K2XXXXX" }), deleted: z.literal(true).openapi({ description: "Gone" }) }),
      "Deleted",
    ),
    404: jsonResponse(ErrorSchema, "No such company"),
    ...accessErrors("match"),
  },
});
export const calendarRoute = createRoute({
  method: "get",
  path: "/v1/companies/{externalId}/calendar",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "Application deadlines of the company's matching policies, soonest first (JSON, or iCalendar with ?format=ics)",
  request: {
    params: IdParams,
    query: z.object({ format: z.enum(["json", "ics"]).optional().openapi({ description: "ics: an iCalendar file (text/calendar)" }) }),
  },
  responses: {
    200: {
      description: "The deadlines",
      content: {
        "application/json": {
          schema: z
            .object({
              externalId: z.string().openapi({ example: "91420100MA4K2XXXXX" }),
              calendarUrl: z.string().openapi({ description: "The subscribable feed" }),
              entries: z.array(MatchSummary).openapi({ description: "Open windows, soonest deadline first" }),
            })
            .openapi("CompanyCalendar"),
        },
        "text/calendar": { schema: z.string().openapi({ description: "iCalendar (RFC 5545): one all-day event per deadline, reminder a week before" }) },
      },
    },
    404: jsonResponse(ErrorSchema, "No such company"),
    ...accessErrors("match"),
  },
});
export const feedRoute = createRoute({
  method: "get",
  path: "/calendar/{token}",
  middleware: [publicRoute()] as const,
  tags: ["companies"],
  summary: "A company's deadline feed for calendar apps (the secret URL is the credential)",
  security: [],
  request: {
    params: z.object({
      token: z
        .string()
        .regex(/^cal_[a-f0-9]{40}\.ics$/)
        .openapi({ description: "From calendarUrl", example: "cal_3f9a0c2e4b7d4e1a9c3f9a0c2e4b7d4e1a9c3f9a.ics" }),
    }),
  },
  responses: {
    200: { description: "iCalendar", content: { "text/calendar": { schema: z.string().openapi({ description: "RFC 5545" }) } } },
    404: jsonResponse(ErrorSchema, "No such feed"),
  },
});
