import type { Context } from "hono";
import { tenantOf } from "../../access/middleware.js";
import type { AppEnv, AppRouteHandler } from "../../app-env.js";
import { batchResults, companiesFromCsv, createBatchJob } from "../../companies/batch.js";
import { activePolicies, batchCsv, matchBatchYielding, matchPolicies } from "../../companies/matching.js";
import { runInBackground } from "../../job-runners.js";
import type { BatchParams, Job } from "../../jobs/job.js";
import { getJob, requireBackgroundWork } from "../../jobs/queue.js";
import { todayInChina } from "../../lib/china-time.js";
import { AppError } from "../../lib/errors.js";
import type { CompanyProfile } from "../../policies/profile.js";
import { parseRegion } from "../../policies/region.js";
import * as routes from "./match.routes.js";

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
  if (companies.length > routes.BATCH_SYNC_MAX || c.req.valid("query").async === "true") {
    requireBackgroundWork(deps, `超过 ${routes.BATCH_SYNC_MAX} 家企业的批量匹配`);
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
};

export const batchJob: AppRouteHandler<typeof routes.batchJobRoute> = async (c) => {
  const job = await ownBatchJob(c, c.req.valid("param").id);
  const { offset = 0, limit = 100 } = c.req.valid("query");
  const results = job.status === "done" ? await batchResults(c.get("deps"), job.id, offset, limit) : undefined;
  return c.json({ ...batchJobBody(c, job), ...(results ? { results } : {}) }, 200);
};

export const batchResultCsv: AppRouteHandler<typeof routes.batchCsvRoute> = async (c) => {
  const job = await ownBatchJob(c, c.req.valid("param").id);
  if (job.status !== "done") throw new AppError("conflict", `批量匹配任务 ${job.id} 尚未完成（${job.done}/${job.total}）`);
  return c.body(batchCsv(await batchResults(c.get("deps"), job.id)), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${job.id}.csv"`,
  });
};

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
