import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize, publicRoute, tenantOf } from "../access/middleware.js";
import type { AppEnv } from "../app-env.js";
import { batchResults, companiesFromCsv, createBatchJob } from "../companies/batch.js";
import { deleteCompany, getCompany, getCompanyByFeedToken, profileHistory, type SavedCompany, saveCompany } from "../companies/company-profiles.js";
import { calendarFeed } from "../companies/ical.js";
import { activePolicies, batchCsv, calendarEntries, candidatesFor, matchBatchYielding } from "../companies/matching.js";
import { runInBackground } from "../job-runners.js";
import type { BatchParams, Job } from "../jobs/job.js";
import { getJob, requireBackgroundWork } from "../jobs/queue.js";
import { todayInChina } from "../lib/china-time.js";
import { AppError } from "../lib/errors.js";
import { getPolicies } from "../policies/catalogue.js";
import type { CompanyProfile } from "../policies/profile.js";
import { accessErrors, CompanyProfileDoc, ErrorSchema, jsonResponse } from "./schemas.js";

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

const MatchSummary = z
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

const calendarUrl = (c: Context<AppEnv>, company: SavedCompany) => `${new URL(c.req.url).origin}/calendar/${company.feedToken}.ics`;
const shape = (c: Context<AppEnv>, company: SavedCompany) => {
  const { feedToken: _, ...rest } = company;
  return { ...rest, calendarUrl: calendarUrl(c, company) };
};

const putRoute = createRoute({
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
const getRoute = createRoute({
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
const deleteRoute = createRoute({
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
const calendarRoute = createRoute({
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
const feedRoute = createRoute({
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
const BATCH_SYNC_MAX = 1000;
const batchRoute = createRoute({
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
const BatchIdParams = z.object({ id: z.string().min(1).max(100).openapi({ description: "The batch job's id", example: "job_3f9a0c2e4b7d4e1a" }) });
const batchJobRoute = createRoute({
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
const batchCsvRoute = createRoute({
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
const candidatesRoute = createRoute({
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

export const companyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(putRoute, async (c) => {
    const deps = c.get("deps");
    const body = c.req.valid("json");
    const { company, created } = await saveCompany(
      deps.db,
      tenantOf(c),
      c.req.valid("param").externalId,
      { profile: body.profile, chatUpdates: body.chatUpdates },
      deps.clock.now(),
    );
    return c.json(shape(c, company), created ? 201 : 200);
  })
  .openapi(getRoute, async (c) => {
    const { externalId } = c.req.valid("param");
    const db = c.get("deps").db;
    const company = await getCompany(db, tenantOf(c), externalId);
    if (!company) throw new AppError("not_found", `没有这家企业：${externalId}`);
    return c.json({ ...shape(c, company), history: await profileHistory(db, tenantOf(c), externalId) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { externalId } = c.req.valid("param");
    if (!(await deleteCompany(c.get("deps").db, tenantOf(c), externalId))) throw new AppError("not_found", `没有这家企业：${externalId}`);
    return c.json({ externalId, deleted: true as const }, 200);
  })
  .openapi(calendarRoute, async (c) => {
    const deps = c.get("deps");
    const { externalId } = c.req.valid("param");
    const company = await getCompany(deps.db, tenantOf(c), externalId);
    if (!company) throw new AppError("not_found", `没有这家企业：${externalId}`);
    const entries = await calendarOf(c, company);
    if (c.req.valid("query").format === "ics") return icsResponse(c, entries, company);
    return c.json({ externalId, calendarUrl: calendarUrl(c, company), entries }, 200);
  })
  .openapi(feedRoute, async (c) => {
    const deps = c.get("deps");
    const company = await getCompanyByFeedToken(deps.db, c.req.valid("param").token.replace(/\.ics$/, ""));
    if (!company) throw new AppError("not_found", "没有这个日历");
    return icsResponse(c, await calendarOf(c, company), company);
  })
  .openapi(batchRoute, async (c) => {
    const deps = c.get("deps");
    const type = c.req.header("content-type") ?? "";
    if (!/^(text\/csv|application\/json)/i.test(type)) throw new AppError("unsupported_media_type", "请以 application/json 或 text/csv 提交企业列表");
    const companies = /^text\/csv/i.test(type)
      ? companiesFromCsv(await c.req.text())
      : (c.req.valid("json") as { companies: Array<{ id: string; profile: CompanyProfile }> }).companies;
    if (companies.length > BATCH_SYNC_MAX || c.req.valid("query").async === "true") {
      requireBackgroundWork(deps, `超过 ${BATCH_SYNC_MAX} 家企业的批量匹配`);
      const job = await createBatchJob(deps, tenantOf(c), companies);
      runInBackground(deps, job.id);
      return c.json(batchJobBody(c, (await getJob(deps.db, job.id))!), 202);
    }
    const policies = await activePolicies(deps.db);
    const results = await matchBatchYielding(policies, companies, todayInChina(deps.clock));
    if (c.req.valid("query").format === "csv") {
      return c.body(batchCsv(results), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="policy-matches.csv"' });
    }
    return c.json({ results, policiesJudged: policies.length }, 200);
  })
  .openapi(batchJobRoute, async (c) => {
    const job = await ownBatchJob(c, c.req.valid("param").id);
    const { offset = 0, limit = 100 } = c.req.valid("query");
    const results = job.status === "done" ? await batchResults(c.get("deps"), job.id, offset, limit) : undefined;
    return c.json({ ...batchJobBody(c, job), ...(results ? { results } : {}) }, 200);
  })
  .openapi(batchCsvRoute, async (c) => {
    const job = await ownBatchJob(c, c.req.valid("param").id);
    if (job.status !== "done") throw new AppError("conflict", `批量匹配任务 ${job.id} 尚未完成（${job.done}/${job.total}）`);
    return c.body(batchCsv(await batchResults(c.get("deps"), job.id)), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${job.id}.csv"`,
    });
  })
  .openapi(candidatesRoute, async (c) => {
    const deps = c.get("deps");
    const { id } = c.req.valid("param");
    const [policy] = await getPolicies(deps.db, [id]);
    if (!policy) throw new AppError("not_found", `没有这项政策：${id}`);
    return c.json({ policyId: id, title: policy.title, candidates: await candidatesFor(deps, tenantOf(c), policy) }, 200);
  });

async function ownBatchJob(c: Context<AppEnv>, id: string): Promise<Job> {
  const job = await getJob(c.get("deps").db, id);
  if (job?.kind !== "batch" || (job.params as BatchParams).tenantId !== tenantOf(c)) throw new AppError("not_found", `没有这个批量匹配任务：${id}`);
  return job;
}

function batchJobBody(c: Context<AppEnv>, job: Job) {
  return {
    id: job.id,
    status: job.status,
    done: job.done,
    total: job.total,
    error: job.error,
    ...(job.status === "done" ? { csvUrl: `${new URL(c.req.url).origin}/v1/match/batch/${job.id}/result.csv` } : {}),
  };
}

/** The open application windows of a saved company's matches, as of today. */
async function calendarOf(c: Context<AppEnv>, company: SavedCompany) {
  const deps = c.get("deps");
  return calendarEntries(await activePolicies(deps.db), company.profile, todayInChina(deps.clock));
}

function icsResponse(c: Context<AppEnv>, entries: Parameters<typeof calendarFeed>[0], company: SavedCompany) {
  const body = calendarFeed(entries, {
    name: `${company.profile.name ?? company.externalId} · 政策申报截止日`,
    origin: new URL(c.req.url).origin,
    companyKey: company.externalId,
  });
  return c.body(body, 200, { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=3600" });
}
