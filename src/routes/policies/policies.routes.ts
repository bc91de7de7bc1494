import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { PolicyCriteriaSchema } from "../../policies/criteria.js";
import { accessErrors, ErrorSchema, jsonResponse, PolicySchema } from "../schemas.js";

const ListQuerySchema = z.object({
  status: z.enum(["draft", "active", "expired", "withdrawn"]).optional().openapi({ example: "active" }),
  level: z
    .enum(["national", "provincial", "municipal", "district"])
    .optional()
    .openapi({ description: "Administrative level of the issuer", example: "municipal" }),
  region: z.string().max(100).optional().openapi({ description: "Policies that apply to a company in this place", example: "湖北省武汉市洪山区" }),
  q: z.string().max(100).optional().openapi({ description: "Text in the title or 文号", example: "高新技术企业" }),
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
});

/** Passages per GET /v1/policies/:id by default, and at most: a policy's whole text can run to millions of characters. */
const CHUNK_PAGE = 50,
  CHUNK_PAGE_MAX = 200;

const PolicyDetailSchema = PolicySchema.extend({
  // 申报条件 as structured criteria: common ones and per programme.
  // Rebuilt for the same reason as CompanyProfileDoc: the domain schema may predate the OpenAPI extension.
  criteria: z.object(PolicyCriteriaSchema.shape).openapi({ description: "申报条件 as structured criteria, common and per programme" }),
  chunks: z
    .array(
      z.object({
        id: z.string().openapi({ description: "policyId#position", example: "wh-gaoqi-reward-2026#2" }),
        position: z.number().int().openapi({ description: "Order in the document", example: 2 }),
        heading: z.string().nullable().openapi({ description: "Section heading path", example: "二、申报条件" }),
        text: z.string().openapi({ description: "The passage" }),
      }),
    )
    .openapi({
      description: `The indexed passages, in order: one page of them, at most chunkLimit (default ${CHUNK_PAGE}, at most ${CHUNK_PAGE_MAX}) from chunkOffset; chunkCount is how many there are`,
    }),
  chunkPage: z
    .object({
      offset: z.number().int().openapi({ description: "Position of the first passage returned", example: 0 }),
      limit: z.number().int().openapi({ description: "Passages asked for", example: CHUNK_PAGE }),
      total: z.number().int().openapi({ description: "Passages of the policy", example: 7 }),
      nextOffset: z.number().int().nullable().openapi({ description: "chunkOffset of the next page; null on the last", example: null }),
    })
    .openapi({ description: "Which passages `chunks` holds" }),
}).openapi("PolicyDetail");

export const listRoute = createRoute({
  method: "get",
  path: "/v1/policies",
  middleware: [authorize("policies:read")] as const,
  tags: ["policies"],
  summary: "List indexed policies (paged, filterable)",
  request: { query: ListQuerySchema },
  responses: {
    200: {
      description: "A page of policies",
      content: {
        "application/json": {
          schema: z.object({
            items: z.array(PolicySchema).openapi({ description: "This page's policies" }),
            total: z.number().int().openapi({ description: "Policies matching the filters", example: 30 }),
            page: z.number().int().openapi({ example: 1 }),
            pageSize: z.number().int().openapi({ example: 20 }),
          }),
        },
      },
    },
    400: { description: "Invalid query", content: { "application/json": { schema: ErrorSchema } } },
    ...accessErrors("policies:read"),
  },
});

export const getRoute = createRoute({
  method: "get",
  path: "/v1/policies/{id}",
  middleware: [authorize("policies:read")] as const,
  tags: ["policies"],
  summary: "One policy with its metadata, structured conditions and a page of its text chunks (?chunkOffset&chunkLimit)",
  request: {
    params: z.object({ id: z.string().min(1).max(200).openapi({ example: "wh-gaoqi-reward" }) }),
    query: z.object({
      chunkOffset: z.coerce.number().int().min(0).default(0).openapi({ description: "Skip this many passages", example: 0 }),
      chunkLimit: z.coerce
        .number()
        .int()
        .min(1)
        .max(CHUNK_PAGE_MAX)
        .default(CHUNK_PAGE)
        .openapi({ description: `Passages to return (default ${CHUNK_PAGE}, at most ${CHUNK_PAGE_MAX})`, example: CHUNK_PAGE }),
    }),
  },
  responses: {
    200: { description: "The policy", content: { "application/json": { schema: PolicyDetailSchema } } },
    404: { description: "No such policy", content: { "application/json": { schema: ErrorSchema } } },
    ...accessErrors("policies:read"),
  },
});

export const candidatesRoute = createRoute({
  method: "get",
  path: "/v1/policies/{id}/candidates",
  middleware: [authorize("match")] as const,
  tags: ["companies"],
  summary: "The tenant's saved companies that qualify for a policy (eligible), or may (needs_info)",
  request: { params: z.object({ id: z.string().min(1).max(200).openapi({ description: "Policy id", example: "wh-gaoqi-reward-2026" }) }) },
  responses: {
    200: jsonResponse(
      z
        .object({
          policyId: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
          title: z.string().openapi({ example: "武汉市高新技术企业认定奖励" }),
          candidates: z
            .array(
              z.object({
                externalId: z.string().openapi({ example: "member-017" }),
                name: z.string().optional().openapi({ example: "武汉某某科技有限公司" }),
                verdict: z.enum(["eligible", "needs_info"]).openapi({ description: "eligible first" }),
                questions: z.array(z.string()).openapi({ description: "What to ask (needs_info)" }),
              }),
            )
            .openapi({ description: "Eligible first, then fewest open questions" }),
        })
        .openapi("PolicyCandidates"),
      "Candidates",
    ),
    404: jsonResponse(ErrorSchema, "No such policy"),
    ...accessErrors("match"),
  },
});
