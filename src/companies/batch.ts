/**
 * Batch matching: a small batch is judged in the request (matchBatchNow); a
 * large one, or one asked to, runs as a job (batchRunsAsJob). A job's
 * companies are stored with it, judged in slices with progress, and each
 * slice's results stored before the next, so a job resumed after a restart
 * judges only what is left.
 */
import { parse } from "csv-parse/sync";
import {
  batchResultsPage,
  countLiveBatchJobs,
  insertBatchItems,
  purgeBatchItems,
  recordBatchProgress,
  storeBatchVerdicts,
  unjudgedBatchItems,
} from "../db/batch-store.js";
import type { Db, Queryable } from "../db/db.js";
import { finishJob, setJobTotal } from "../db/job-store.js";
import type { BatchParams, Job } from "../jobs/job.js";
import { createJob, getJob } from "../jobs/queue.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import { type CompanyProfile, CompanyProfileSchema } from "../policies/profile.js";
import { activePolicies, type BatchResult, batchCsv, matchBatch, matchBatchYielding } from "./matching.js";

export type BatchDeps = { db: Db; clock: Clock };
type BatchCompany = { id: string; profile: CompanyProfile };
/** Companies a batch may have and still be answered in the response. */
export const BATCH_SYNC_MAX = 1000;
const SLICE = 200;
/** Live batch jobs a tenant may have at once: one park's upload must not take every core from the others. */
export const MAX_LIVE_BATCHES = 3;
/** Days a finished batch's companies and results are kept. */
export const BATCH_RETENTION_DAYS = 7;

/** Whether a batch runs as a job (answered 202, followed by its id) rather than in the request: above BATCH_SYNC_MAX, or when the caller asks. */
export function batchRunsAsJob(count: number, asked: boolean): boolean {
  return count > BATCH_SYNC_MAX || asked;
}

/** A batch answered in the request: every company judged against today's active policies, yielding to other requests between companies. */
export async function matchBatchNow(deps: BatchDeps, companies: BatchCompany[]): Promise<{ results: BatchResult[]; policiesJudged: number }> {
  const policies = await activePolicies(deps.db);
  const results = await matchBatchYielding(policies, companies, todayInChina(deps.clock));
  return { results, policiesJudged: policies.length };
}

export async function createBatchJob(deps: BatchDeps, tenantId: string, companies: BatchCompany[]): Promise<Job> {
  const live = await countLiveBatchJobs(deps.db, tenantId);
  if (live >= MAX_LIVE_BATCHES) throw new AppError("conflict", `已有 ${live} 个批量匹配任务在进行（上限 ${MAX_LIVE_BATCHES}），请等其完成后再提交`);
  // The job and all its companies, or nothing: a restart never finds half a batch.
  return deps.db.transaction(async (tx) => {
    const job = await createJob(tx, "batch", { tenantId, companies: companies.length } satisfies BatchParams, deps.clock.now());
    await insertBatchItems(tx, job.id, companies);
    await setJobTotal(tx, job.id, companies.length);
    return job;
  });
}

export async function runBatchJob(deps: BatchDeps, job: Job): Promise<void> {
  const policies = await activePolicies(deps.db);
  const today = todayInChina(deps.clock);
  for (;;) {
    const items = await unjudgedBatchItems(deps.db, job.id, SLICE);
    if (items.length === 0) break;
    const results = matchBatch(
      policies,
      items.map((r) => ({ id: r.companyId, profile: r.profile })),
      today,
    );
    await storeBatchVerdicts(
      deps.db,
      job.id,
      items.map((r, i) => ({ position: r.position, result: { eligible: results[i].eligible, needsInfo: results[i].needsInfo } })),
    );
    if (await recordBatchProgress(deps.db, job.id, items.at(-1)!.companyId, { policies: policies.length })) {
      await finishJob(deps.db, job.id, "cancelled", deps.clock.now());
      return;
    }
    // Other requests get their turn between slices.
    await new Promise((r) => setTimeout(r, 0));
  }
  await finishJob(deps.db, job.id, "done", deps.clock.now());
}

/** Forgets the companies and results of batches finished more than BATCH_RETENTION_DAYS ago; the job rows stay. */
export function purgeOldBatches(db: Queryable, now: Date): Promise<number> {
  return purgeBatchItems(db, BATCH_RETENTION_DAYS, now);
}

/** A tenant's batch job; another tenant's, or a job of another kind, is not found. */
export async function tenantBatchJob(deps: { db: Queryable }, tenantId: string, id: string): Promise<Job> {
  const job = await getJob(deps.db, id);
  if (job?.kind !== "batch" || (job.params as BatchParams).tenantId !== tenantId) throw new AppError("not_found", `没有这个批量匹配任务：${id}`);
  return job;
}

/** A batch job's results, in the companies' order (a page of them). */
export function batchResults(deps: { db: Queryable }, jobId: string, offset = 0, limit = 10_000): Promise<BatchResult[]> {
  return batchResultsPage(deps.db, jobId, offset, limit);
}

/** A finished batch job's results as CSV; a job still running is a conflict. */
export async function batchResultsCsv(deps: { db: Queryable }, job: Job): Promise<string> {
  if (job.status !== "done") throw new AppError("conflict", `批量匹配任务 ${job.id} 尚未完成（${job.done}/${job.total}）`);
  return batchCsv(await batchResults(deps, job.id));
}

const NUMBER_COLUMNS = ["employees", "techStaff", "revenue", "rdExpense", "totalAssets", "inventionPatents", "ipCount"] as const;
const LIST_COLUMNS = ["industries", "qualifications", "facts"] as const;
const REGION_COLUMNS = ["province", "city", "district", "park"] as const;
const COLUMNS = new Set<string>(["id", "name", "established", "listed", ...NUMBER_COLUMNS, ...LIST_COLUMNS, ...REGION_COLUMNS]);

/**
 * Companies from a CSV upload: a header row naming profile fields (id first;
 * province, city, district, park for the region; lists separated by | or ；),
 * one company per row. A bad cell is an error naming its line and column.
 */
export function companiesFromCsv(text: string): BatchCompany[] {
  let records: Array<Record<string, string>>;
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new AppError("bad_request", `CSV: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError("bad_request", "CSV: 没有企业（第一行是列名，之后每行一家企业）");
  const unknown = Object.keys(records[0]).filter((c) => !COLUMNS.has(c));
  if (unknown.length) throw new AppError("bad_request", `CSV: 未知的列 ${unknown.join(", ")}（可用：${[...COLUMNS].join(", ")}）`);
  if (!("id" in records[0])) throw new AppError("bad_request", "CSV: 缺少 id 列");
  if (records.length > 10_000) throw new AppError("bad_request", "CSV: 一次最多 10,000 家企业");
  return records.map((row, i) => {
    const line = i + 2;
    if (!row.id) throw new AppError("bad_request", `CSV 第 ${line} 行: id 为空`);
    const profile: Record<string, unknown> = {};
    const region: Record<string, string> = {};
    for (const [column, raw] of Object.entries(row)) {
      if (raw === "" || column === "id") continue;
      if ((REGION_COLUMNS as readonly string[]).includes(column)) region[column] = raw;
      else if ((NUMBER_COLUMNS as readonly string[]).includes(column)) {
        const n = Number(raw.replace(/,/g, ""));
        if (!Number.isFinite(n)) throw new AppError("bad_request", `CSV 第 ${line} 行 ${column}: 「${raw}」不是数字`);
        profile[column] = n;
      } else if ((LIST_COLUMNS as readonly string[]).includes(column))
        profile[column] = raw
          .split(/[|；]/)
          .map((s) => s.trim())
          .filter(Boolean);
      else if (column === "listed") profile.listed = /^(是|true|1|yes|y)$/i.test(raw);
      else profile[column] = raw;
    }
    if (Object.keys(region).length) profile.region = region;
    const checked = CompanyProfileSchema.safeParse(profile);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AppError("bad_request", `CSV 第 ${line} 行 ${issue.path.join(".")}: ${issue.message}`);
    }
    return { id: row.id, profile: checked.data };
  });
}
