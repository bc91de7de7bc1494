import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { authorize } from "../access/middleware.js";
import type { AppEnv } from "../app-env.js";
import { AppError } from "../lib/errors.js";
import { getChunkPage, getPolicies, listPolicies } from "../policies/catalogue.js";
import { PolicyCriteriaSchema } from "../policies/criteria.js";
import type { PolicyRecord } from "../policies/policy.js";
import { parseRegion } from "../policies/region.js";
import { accessErrors, ErrorSchema, PolicySchema } from "./schemas.js";

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

const listRoute = createRoute({
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

const getRoute = createRoute({
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

const publicPolicy = (p: PolicyRecord) => ({
  id: p.id,
  title: p.title,
  docNumber: p.docNumber,
  issuer: p.issuer,
  region: p.region,
  regionPath: p.regionPath,
  level: p.level,
  publishedAt: p.publishedAt,
  applyStart: p.applyStart,
  applyEnd: p.applyEnd,
  validUntil: p.validUntil,
  source: p.source,
  format: p.format,
  status: p.status,
  tags: p.tags,
  chunkCount: p.chunkCount,
});

export const policyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => {
    const { db } = c.get("deps");
    const q = c.req.valid("query");
    const { items, total } = await listPolicies(db, {
      status: q.status,
      level: q.level,
      q: q.q,
      region: q.region ? parseRegion(q.region) : undefined,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return c.json({ items: items.map(publicPolicy), total, page: q.page, pageSize: q.pageSize }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { db } = c.get("deps");
    const { id } = c.req.valid("param");
    const [policy] = await getPolicies(db, [id]);
    if (!policy) throw new AppError("not_found", `没有编号为 ${id} 的政策`);
    const { chunkOffset: offset, chunkLimit: limit } = c.req.valid("query");
    const chunks = await getChunkPage(db, id, offset, limit);
    const nextOffset = offset + limit < policy.chunkCount ? offset + limit : null;
    return c.json(
      {
        ...publicPolicy(policy),
        criteria: policy.criteria,
        chunks: chunks.map(({ policyId: _p, ...c }) => c),
        chunkPage: { offset, limit, total: policy.chunkCount, nextOffset },
      },
      200,
    );
  });
