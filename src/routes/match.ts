import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { authorize } from "../access/middleware.js";
import { matchPolicies } from "../answer/match.js";
import type { AppEnv } from "../app-env.js";
import { parseRegion } from "../policies/region.js";
import { answerSlot } from "./answer-slot.js";
import { cachedAnswer } from "./cached-answer.js";
import { accessErrors, CompanyProfileDoc, ErrorSchema, PolicyCardSchema } from "./schemas.js";

export const MatchRequestSchema = z
  .object({
    profile: CompanyProfileDoc.openapi({
      description: "The company; money in 万元, ratios as fractions",
      example: {
        region: { city: "北京市", district: "海淀区" },
        established: "2021-03-01",
        employees: 48,
        revenue: 1600,
        rdExpense: 520,
        qualifications: ["科技型中小企业"],
        facts: ["上一会计年度研发费用520万元，前一年度为360万元"],
      },
    }),
    filters: z
      .object({
        region: z
          .string()
          .max(100)
          .optional()
          .openapi({ description: "Only policies on this place's branch (default: the profile's region)", example: "北京市" }),
        includeExpired: z.boolean().optional().openapi({ description: "Also judge expired policies (default false)" }),
        includeIneligible: z.boolean().optional().openapi({ description: "Also list policies the company does not qualify for, last (default false)" }),
      })
      .optional()
      .openapi({ description: "Which policies to judge" }),
    limit: z.number().int().min(1).max(50).optional().openapi({ description: "At most this many policies (default 20)", example: 10 }),
  })
  .openapi("MatchRequest");

const MatchedPolicySchema = PolicyCardSchema.extend({ eligibility: PolicyCardSchema.shape.eligibility.unwrap() }).openapi("MatchedPolicy");

export const MatchResponseSchema = z
  .object({
    profile: CompanyProfileDoc.openapi({ description: "The profile as judged: synonyms normalised (高企 → 高新技术企业, 海淀 → 北京市海淀区)" }),
    counts: z
      .object({
        eligible: z.number().int().openapi({ description: "Policies whose every condition the company meets", example: 3 }),
        needs_info: z.number().int().openapi({ description: "Policies with no unmet condition but something unknown", example: 7 }),
        ineligible: z.number().int().openapi({ description: "Policies with a condition clearly unmet", example: 12 }),
      })
      .openapi({ description: "How many policies fall in each verdict (before the limit)" }),
    policies: z.array(MatchedPolicySchema).openapi({
      description:
        "Eligible first, then needs_info, then ineligible when asked; within each, open programmes before upcoming and closed ones, then those closest to what the company does",
    }),
    followUpQuestions: z.array(z.string()).openapi({ description: "Questions that would settle the most open conditions" }),
  })
  .openapi("MatchResponse");

const matchRoute = createRoute({
  method: "post",
  path: "/v1/match",
  middleware: [authorize("match", { widget: true }), cachedAnswer(), answerSlot()] as const,
  tags: ["match"],
  summary: "政策找企业: the policies a company can apply for, each with a checklist of its conditions",
  request: { body: { required: true, content: { "application/json": { schema: MatchRequestSchema } } } },
  responses: {
    200: {
      description: "Policies ranked for the company: eligible, then needs_info, then (if asked) ineligible",
      content: { "application/json": { schema: MatchResponseSchema } },
    },
    400: { description: "Invalid request (malformed JSON, a bad profile field)", content: { "application/json": { schema: ErrorSchema } } },
    413: { description: "Body larger than the limit", content: { "application/json": { schema: ErrorSchema } } },
    ...accessErrors("match"),
  },
});

export const matchRoutes = new OpenAPIHono<AppEnv>().openapi(matchRoute, async (c) => {
  const body = c.req.valid("json");
  const result = await matchPolicies(c.get("deps"), {
    profile: body.profile,
    regionPath: body.filters?.region ? parseRegion(body.filters.region) : undefined,
    includeExpired: body.filters?.includeExpired,
    includeIneligible: body.filters?.includeIneligible,
    limit: body.limit,
  });
  return c.json(result, 200);
});
