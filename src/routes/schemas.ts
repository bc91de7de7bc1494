import { z } from "@hono/zod-openapi";
import { CompanyProfileSchema } from "../policies/profile.js";
import { SupportRuleSchema } from "../policies/support.js";

/**
 * The company profile, once, as a named component of the OpenAPI document.
 * Rebuilt from the domain schema's fields: zod 4 gives `.openapi()` only to
 * schemas made after @hono/zod-openapi loaded, and the domain's may be older.
 */
/** Fields a profile may carry beyond the known ones (kept and echoed back for the caller's own use). */
const MAX_EXTRA_PROFILE_FIELDS = 50;
export const CompanyProfileDoc = z
  .object(CompanyProfileSchema.shape)
  .passthrough()
  .refine((p) => Object.keys(p).filter((k) => !(k in CompanyProfileSchema.shape)).length <= MAX_EXTRA_PROFILE_FIELDS, {
    message: `最多 ${MAX_EXTRA_PROFILE_FIELDS} 个自定义字段`,
  })
  .openapi("CompanyProfile");

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string().openapi({ example: "bad_request", description: "Stable machine-readable error code" }),
        message: z.string().openapi({ example: "question: 问题不能为空" }),
        requestId: z.string().openapi({ example: "req_5f2c1a" }),
      })
      .openapi({ description: "What went wrong" }),
  })
  .openapi("Error");

export const CitationSchema = z
  .object({
    ref: z.number().int().openapi({ description: "The number used as [n] in the answer text", example: 1 }),
    chunkId: z.string().openapi({ example: "wh-gaoqi-reward#2" }),
    policyId: z.string().openapi({ example: "wh-gaoqi-reward" }),
    heading: z.string().nullable().openapi({ example: "二、支持标准" }),
    quote: z.string().openapi({ description: "The cited passage (clipped)", example: "对首次通过认定的高新技术企业给予一次性奖励30万元。" }),
  })
  .openapi("Citation");

export const DeadlineSchema = z
  .object({
    applyStart: z.string().nullable().openapi({ example: "2026-03-01" }),
    applyEnd: z.string().nullable().openapi({ example: "2026-04-30" }),
    state: z.enum(["open", "upcoming", "closed", "unknown"]).openapi({ description: "Application window relative to today" }),
    text: z.string().nullable().openapi({ description: "What the policy says about timing", example: "每年3月集中受理" }),
  })
  .openapi("Deadline");

export const CriterionResultSchema = z
  .object({
    id: z.string().openapi({ example: "c3" }),
    text: z.string().openapi({ description: "The condition in the policy's words", example: "上一会计年度营业收入 2000 万元（含）以下" }),
    status: z.enum(["met", "unmet", "unknown"]).openapi({ description: "met: the company meets it; unmet: it clearly does not; unknown: a fact is missing" }),
    reason: z.string().openapi({ example: "政策要求「上一会计年度营业收入 2000 万元（含）以下」；企业营业收入1600万元，符合" }),
    question: z.string().optional().openapi({ description: "What to ask the company when unknown", example: "贵公司上一年度营业收入是多少（万元）？" }),
    soft: z.boolean().optional().openapi({ description: "A descriptive or judgement criterion: shown, does not decide the verdict" }),
  })
  .openapi("CriterionResult");

export const EligibilitySchema = z
  .object({
    verdict: z
      .enum(["eligible", "ineligible", "needs_info"])
      .openapi({ description: "eligible: every condition met; ineligible: one clearly unmet; needs_info: none unmet, some unknown" }),
    programme: z.string().optional().openapi({ description: "For documents with several programmes: the one judged", example: "科技型小微企业" }),
    checklist: z.array(CriterionResultSchema).openapi({ description: "Every criterion, in the policy's order, with its status and reason" }),
    missing: z
      .array(
        z.object({
          criterion: z.string().openapi({ description: "The criterion's text", example: "上一会计年度营业收入 2000 万元（含）以下" }),
          question: z.string().openapi({ description: "What to ask the company", example: "贵公司上一年度营业收入是多少（万元）？" }),
        }),
      )
      .openapi({ description: "Facts still needed, with the question to ask" }),
  })
  .openapi("Eligibility");

export const EstimateSchema = z
  .object({
    amount: z.number().openapi({ description: "What the company could get, in 万元", example: 30 }),
    base: z.number().openapi({ description: "The company's figure the rule applies to, in 万元", example: 300 }),
    baseName: z.string().openapi({ example: "研发费用增量" }),
    rate: z.number().openapi({ description: "The share of the base paid, as a fraction", example: 0.1 }),
    cap: z.number().optional().openapi({ description: "The most paid, in 万元", example: 500 }),
    capped: z.boolean().openapi({ description: "The cap decided the sum" }),
    rule: z.string().openapi({ description: "The policy's sentence", example: "按其2025年度研发费用较2024年度增量部分的10%给予奖励，单个企业奖励最高500万元" }),
  })
  .openapi("Estimate");

export const PolicyCardSchema = z
  .object({
    id: z.string().openapi({ example: "wh-gaoqi-reward" }),
    title: z.string().openapi({ example: "武汉市高新技术企业认定奖励实施细则" }),
    issuer: z.string().nullable().openapi({ example: "武汉市科学技术局" }),
    docNumber: z.string().nullable().openapi({ description: "文号", example: "武科规〔2025〕3号" }),
    region: z.string().nullable().openapi({ example: "湖北省武汉市" }),
    level: z.string().openapi({ example: "municipal" }),
    status: z.string().openapi({ example: "active" }),
    score: z.number().openapi({ description: "Retrieval score (higher is more relevant)", example: 1.08 }),
    support: z.string().nullable().openapi({ description: "支持内容/标准, with [n] citations" }),
    conditions: z.array(z.string()).openapi({ description: "申报条件, one per item, with [n] citations" }),
    howToApply: z
      .string()
      .nullable()
      .openapi({ description: "How and where to apply, with [n] citations", example: "通过武汉市科技创新局网上申报系统在线填报[5]" }),
    deadline: DeadlineSchema.nullable(),
    supportRules: z.array(SupportRuleSchema).openapi({
      description:
        "What the policy pays, rule by rule, as data: a sum, a rate of a base with its cap, sums by grade, or a sum per unit (万元); empty when the text states no sum",
    }),
    source: z.string().nullable().openapi({ description: "Where the policy text comes from (URL)" }),
    citations: z.array(CitationSchema).openapi({ description: "The passages this card cites as [n]" }),
    eligibility: EligibilitySchema.optional().openapi({ description: "Present when the company told us something about itself" }),
    estimate: EstimateSchema.optional().openapi({
      description:
        "What the policy's rate-of-a-base rule comes to for the company (研发费用增量 × 10%, capped), when its figures give the base; an estimate, the authority decides",
    }),
  })
  .openapi("PolicyCard");

export const PolicySchema = z
  .object({
    id: z.string().openapi({ description: "Policy id (from its file name)", example: "wh-gaoqi-reward-2026" }),
    title: z.string().openapi({ example: "武汉市科技创新局 武汉市财政局关于组织申报2026年度高新技术企业认定奖励资金的通知" }),
    docNumber: z.string().nullable().openapi({ description: "文号", example: "武科创〔2026〕58号" }),
    issuer: z.string().nullable().openapi({ example: "武汉市科技创新局；武汉市财政局" }),
    region: z.string().nullable().openapi({ description: "Where it applies; null for national policies", example: "湖北省武汉市" }),
    regionPath: z.array(z.string()).openapi({ description: "The region as a path, province first", example: ["湖北省", "武汉市"] }),
    level: z.string().openapi({ description: "national, provincial, municipal or district", example: "municipal" }),
    publishedAt: z.string().nullable().openapi({ description: "Publication date", example: "2026-11-16" }),
    applyStart: z.string().nullable().openapi({ description: "First day of the application window", example: "2026-12-01" }),
    applyEnd: z.string().nullable().openapi({ description: "Last day of the application window", example: "2027-01-31" }),
    validUntil: z.string().nullable().openapi({ description: "Date the policy expires", example: "2028-12-31" }),
    source: z
      .string()
      .nullable()
      .openapi({ description: "Where the text comes from (URL)", example: "https://kjj.wuhan.gov.cn/demo/tzgg/2026/gqrdjl-2026.html" }),
    format: z.string().openapi({ description: "Format of the file it was loaded from", example: "pdf" }),
    status: z.string().openapi({ description: "active, expired, draft or withdrawn", example: "active" }),
    tags: z.array(z.string()).openapi({ example: ["高新技术企业", "认定奖励"] }),
    chunkCount: z.number().int().openapi({ description: "Indexed passages", example: 7 }),
  })
  .openapi("Policy");

/** A documented JSON response. */
export const jsonResponse = (schema: z.ZodTypeAny, description: string) => ({ description, content: { "application/json": { schema } } });
const errorResponse = (description: string) => jsonResponse(ErrorSchema, description);

/** The errors every keyed route can answer with, documented once. */
export const accessErrors = (scope: string) => ({
  401: errorResponse("unauthorized: no API key, or an unknown or revoked one (once any key exists; a server without keys runs open on localhost)"),
  403: errorResponse(`forbidden: the key lacks the ${scope} scope, or a widget key is used from an origin it does not allow`),
  429: errorResponse("rate_limited: the key's per-minute rate or daily quota is used up; see Retry-After and RateLimit-* headers"),
});

export const MatchSummary = z
  .object({
    policyId: z.string().openapi({ example: "wh-gaoqi-reward-2026" }),
    title: z.string().openapi({ example: "武汉市高新技术企业认定奖励" }),
    verdict: z.enum(["eligible", "needs_info"]).openapi({ description: "eligible: every condition met; needs_info: none unmet, some unknown" }),
    questions: z.array(z.string()).openapi({ description: "What the company still has to tell (needs_info)" }),
    applyStart: z.string().nullable().openapi({ example: "2026-12-01" }),
    applyEnd: z.string().nullable().openapi({ example: "2026-12-31" }),
    source: z.string().nullable().openapi({ description: "Where the policy was published" }),
  })
  .openapi("PolicyMatchSummary");
