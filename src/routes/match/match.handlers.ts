import type { Context } from "hono";
import { tenantOf } from "../../access/middleware.js";
import type { AppEnv, AppRouteHandler } from "../../app-env.js";
import {
  BATCH_SYNC_MAX,
  batchResults,
  batchResultsCsv,
  batchRunsAsJob,
  companiesFromCsv,
  createBatchJob,
  matchBatchNow,
  tenantBatchJob,
} from "../../companies/batch.js";
import { batchCsv, matchPolicies } from "../../companies/matching.js";
import { runInBackground } from "../../job-runners.js";
import type { Job } from "../../jobs/job.js";
import { requireBackgroundWork } from "../../jobs/queue.js";
import { AppError } from "../../lib/errors.js";
import type { CompanyProfile } from "../../policies/profile.js";
import { parseRegion } from "../../policies/region.js";
import type * as routes from "./match.routes.js";

export const match: AppRouteHandler<typeof routes.matchRoute> = async (c) => {
  const body = c.req.valid("json");
  const result = await matchPolicies(c.get("deps"), {
    profile: body.profile,
    regionPath: body.filters?.region ? parseRegion(body.filters.region) : undefined,
    includeExpired: body.filters?.includeExpired,
    includeIneligible: body.filters?.includeIneligible,
    limit: body.limit,
  });
  return c.json(result, 200);
};

export const batch: AppRouteHandler<typeof routes.batchRoute> = async (c) => {
  const deps = c.get("deps");
  const type = c.req.header("content-type") ?? "";
  if (!/^(text\/csv|application\/json)/i.test(type)) throw new AppError("unsupported_media_type", "请以 application/json 或 text/csv 提交企业列表");
  const companies = /^text\/csv/i.test(type)
    ? companiesFromCsv(await c.req.text())
    : (c.req.valid("json") as { companies: Array<{ id: string; profile: CompanyProfile }> }).companies;
  if (batchRunsAsJob(companies.length, c.req.valid("query").async === "true")) {
    requireBackgroundWork(deps, `超过 ${BATCH_SYNC_MAX} 家企业的批量匹配`);
    const job = await createBatchJob(deps, tenantOf(c), companies);
    runInBackground(deps, job.id);
    return c.json(batchJobBody(c, await tenantBatchJob(deps, tenantOf(c), job.id)), 202);
  }
  const { results, policiesJudged } = await matchBatchNow(deps, companies);
  if (c.req.valid("query").format === "csv") {
    return c.body(batchCsv(results), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="policy-matches.csv"' });
  }
  return c.json({ results, policiesJudged }, 200);
};

export const batchJob: AppRouteHandler<typeof routes.batchJobRoute> = async (c) => {
  const deps = c.get("deps");
  const job = await tenantBatchJob(deps, tenantOf(c), c.req.valid("param").id);
  const { offset = 0, limit = 100 } = c.req.valid("query");
  const results = job.status === "done" ? await batchResults(deps, job.id, offset, limit) : undefined;
  return c.json({ ...batchJobBody(c, job), ...(results ? { results } : {}) }, 200);
};

export const batchResultCsv: AppRouteHandler<typeof routes.batchCsvRoute> = async (c) => {
  const deps = c.get("deps");
  const job = await tenantBatchJob(deps, tenantOf(c), c.req.valid("param").id);
  return c.body(await batchResultsCsv(deps, job), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${job.id}.csv"`,
  });
};

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
