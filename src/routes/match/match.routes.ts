import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { BATCH_SYNC_MAX } from "../../companies/batch.js";
import { answerSlot } from "../answer-slot.js";
import { cachedAnswer } from "../cached-answer.js";
import { accessErrors, CompanyProfileDoc, ErrorSchema, jsonResponse, MatchSummary, PolicyCardSchema } from "../schemas.js";

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

export const matchRoute = createRoute({
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

/** One company's result in a batch, the synchronous answer and the job's alike. */
const BatchCompanyResult = z.object({
  id: z.string().openapi({ example: "member-017" }),
  eligible: z.array(MatchSummary).openapi({ description: "Every condition met" }),
  needsInfo: z.array(MatchSummary).openapi({ description: "None unmet, some unknown" }),
});

const BatchJobSchema = z
  .object({
    id: z.string().openapi({ example: "job_3f9a0c2e4b7d4e1a" }),
    status: z.enum(["queued", "running", "done", "failed", "cancelled"]).openapi({ description: "Where the job is" }),
    done: z.number().int().openapi({ description: "Companies judged", example: 4200 }),
    total: z.number().int().openapi({ description: "Companies in the batch", example: 10000 }),
    error: z.string().nullable().openapi({ description: "Why a failed job failed" }),
    results: z.array(BatchCompanyResult).optional().openapi({ description: "When done: a page of results, in the companies' order" }),
    csvUrl: z.string().optional().openapi({ description: "When done: all results as CSV" }),
  })
  .openapi("BatchJob");

export const batchRoute = createRoute({
  method: "post",
  path: "/v1/match/batch",
  middleware: [authorize("match")] as const,
  tags: ["match"],
  summary: "Many companies at once (up to 10,000): each one's eligible and needs-info policies, as JSON or CSV",
  description: `JSON ({companies:[{id, profile}]}) or a CSV upload (text/csv: a header row of profile fields — id, name, province, city, district, park, established, employees, techStaff, revenue, rdExpense, totalAssets, industries, qualifications, inventionPatents, ipCount, listed, facts; lists separated by | — then one company per row). Up to ${BATCH_SYNC_MAX} companies are answered at once; more, or ?async=true, run as a job (202): follow it at GET /v1/match/batch/{id}.`,
  request: {
    query: z.object({
      format: z.enum(["json", "csv"]).optional().openapi({ description: "csv: one row per company and policy, UTF-8 with BOM (opens in Excel)" }),
      async: z.enum(["true", "false"]).optional().openapi({ description: "Run as a job even when small (default: only above 1,000 companies)" }),
    }),
    body: {
      // Not "required": the JSON schema then applies to JSON bodies only, and CSV is read by the handler.
      required: false,
      content: {
        "text/csv": {
          schema: z.string().openapi({
            description: "Header row of profile fields, then one company per row",
            example: "id,name,city,district,revenue,employees,qualifications\nm-1,武汉某科技有限公司,武汉市,洪山区,5200,86,高新技术企业|科技型中小企业",
          }),
        },
        "application/json": {
          schema: z
            .object({
              companies: z
                .array(z.object({ id: z.string().min(1).max(200).openapi({ example: "member-017" }), profile: CompanyProfileDoc }))
                .min(1)
                .max(10_000)
                .openapi({ description: "The companies, each with the caller's id for it" }),
            })
            .openapi("BatchMatchRequest"),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Each company's matches",
      content: {
        "application/json": {
          schema: z
            .object({
              results: z.array(BatchCompanyResult).openapi({ description: "In request order" }),
              policiesJudged: z.number().int().openapi({ description: "Active policies each company was judged against", example: 250 }),
            })
            .openapi("BatchMatchResponse"),
        },
        "text/csv": { schema: z.string().openapi({ description: "company_id, verdict, policy_id, title, apply_end, open_questions" }) },
      },
    },
    202: jsonResponse(BatchJobSchema, "Large batches run as a job; follow it at GET /v1/match/batch/{id}"),
    400: jsonResponse(ErrorSchema, "A bad profile (the message names its index, or the CSV line and column)"),
    409: jsonResponse(ErrorSchema, "conflict: the tenant already has 3 batch jobs running"),
    415: jsonResponse(ErrorSchema, "Neither JSON nor CSV"),
    501: jsonResponse(ErrorSchema, "not_implemented: a batch job on Cloudflare Workers (send up to 1,000 companies, or use the Node server)"),
    413: jsonResponse(ErrorSchema, "Over UPLOAD_MAX_BYTES"),
    ...accessErrors("match"),
  },
});

export const BatchIdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "The batch job's id", example: "job_3f9a0c2e4b7d4e1a" }) });

export const batchJobRoute = createRoute({
  method: "get",
  path: "/v1/match/batch/{id}",
  middleware: [authorize("match")] as const,
  tags: ["match"],
  summary: "A batch job's progress and, when done, a page of its results",
  request: {
    params: BatchIdParams,
    query: z.object({
      offset: z.coerce.number().int().min(0).optional().openapi({ description: "First result (default 0)", example: 0 }),
      limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: "Results per page (default 100)", example: 100 }),
    }),
  },
  responses: {
    200: jsonResponse(BatchJobSchema, "The job"),
    404: jsonResponse(ErrorSchema, "No such batch for this tenant"),
    ...accessErrors("match"),
  },
});

export const batchCsvRoute = createRoute({
  method: "get",
  path: "/v1/match/batch/{id}/result.csv",
  middleware: [authorize("match")] as const,
  tags: ["match"],
  summary: "A finished batch job's results as CSV (UTF-8 with BOM)",
  request: { params: BatchIdParams },
  responses: {
    200: {
      description: "CSV",
      content: { "text/csv": { schema: z.string().openapi({ description: "company_id, verdict, policy_id, title, apply_end, open_questions" }) } },
    },
    404: jsonResponse(ErrorSchema, "No such batch"),
    409: jsonResponse(ErrorSchema, "conflict: the job has not finished"),
    ...accessErrors("match"),
  },
});
