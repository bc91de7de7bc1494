/**
 * Batch matching as a job: the companies are stored with the job, judged in
 * slices with progress, and each slice's results stored before the next, so
 * a job resumed after a restart judges only what is left.
 */
import { parse } from "csv-parse/sync";
import type { JobDeps, Job } from "../admin/jobs.js";
import { createJob } from "../admin/jobs.js";
import { AppError } from "../lib/errors.js";
import { CompanyProfileSchema, type CompanyProfile } from "../policies/profile.js";
import { activePolicies, matchBatch, type BatchResult } from "./matching.js";
import { todayInChina } from "../lib/china-time.js";

export type BatchParams = { tenantId: string; companies: number };
const SLICE = 200;
/** Live batch jobs a tenant may have at once: one park's upload must not take every core from the others. */
export const MAX_LIVE_BATCHES = 3;
/** Days a finished batch's companies and results are kept. */
export const BATCH_RETENTION_DAYS = 7;

export async function createBatchJob(deps: Pick<JobDeps, "db" | "clock">, tenantId: string, companies: Array<{ id: string; profile: CompanyProfile }>): Promise<Job> {
  const { rows: live } = await deps.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM jobs WHERE kind = 'batch' AND status IN ('queued', 'running') AND params->>'tenantId' = $1",
    [tenantId],
  );
  if (live[0].n >= MAX_LIVE_BATCHES) throw new AppError("conflict", `已有 ${live[0].n} 个批量匹配任务在进行（上限 ${MAX_LIVE_BATCHES}），请等其完成后再提交`);
  // The job and all its companies, or nothing: a restart never finds half a batch.
  return deps.db.transaction(async (tx) => {
    const job = await createJob(tx, "batch", { tenantId, companies: companies.length } satisfies BatchParams, deps.clock.now());
    for (let i = 0; i < companies.length; i += 1000) {
      const slice = companies.slice(i, i + 1000);
      await tx.query(
        "INSERT INTO batch_items (job_id, position, company_id, profile) SELECT $1, u.position, u.id, u.profile::jsonb FROM unnest($2::int[], $3::text[], $4::text[]) AS u(position, id, profile)",
        [job.id, slice.map((_, k) => i + k), slice.map((c) => c.id), slice.map((c) => JSON.stringify(c.profile))],
      );
    }
    await tx.query("UPDATE jobs SET total = $2 WHERE id = $1", [job.id, companies.length]);
    return job;
  });
}

export async function runBatchJob(deps: JobDeps, job: Job): Promise<void> {
  const policies = await activePolicies(deps.db);
  const today = todayInChina(deps.clock);
  for (;;) {
    const { rows } = await deps.db.query<{ position: number; company_id: string; profile: CompanyProfile }>(
      "SELECT position, company_id, profile FROM batch_items WHERE job_id = $1 AND result IS NULL ORDER BY position LIMIT $2",
      [job.id, SLICE],
    );
    if (rows.length === 0) break;
    const results = matchBatch(policies, rows.map((r) => ({ id: r.company_id, profile: r.profile })), today);
    await deps.db.query(
      "UPDATE batch_items b SET result = u.result::jsonb FROM unnest($2::int[], $3::text[]) AS u(position, result) WHERE b.job_id = $1 AND b.position = u.position",
      [job.id, rows.map((r) => r.position), results.map((r) => JSON.stringify({ eligible: r.eligible, needsInfo: r.needsInfo }))],
    );
    const { rows: state } = await deps.db.query<{ cancel_requested: boolean }>(
      "UPDATE jobs SET done = (SELECT count(*)::int FROM batch_items WHERE job_id = $1 AND result IS NOT NULL), current = $2, counts = $3 WHERE id = $1 RETURNING cancel_requested",
      [job.id, rows.at(-1)!.company_id, JSON.stringify({ policies: policies.length })],
    );
    if (state[0]?.cancel_requested) {
      await finish(deps, job.id, "cancelled");
      return;
    }
    // Other requests get their turn between slices.
    await new Promise((r) => setTimeout(r, 0));
  }
  await finish(deps, job.id, "done");
}

async function finish(deps: JobDeps, id: string, status: "done" | "cancelled") {
  await deps.db.query("UPDATE jobs SET status = $2, current = NULL, finished_at = $3 WHERE id = $1", [id, status, deps.clock.now().toISOString()]);
}

/** Forgets the companies and results of batches finished more than BATCH_RETENTION_DAYS ago; the job rows stay. */
export async function purgeOldBatches(db: JobDeps["db"], now: Date): Promise<number> {
  // Measured on the clock that stamped finished_at.
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM batch_items WHERE job_id IN (
       SELECT id FROM jobs WHERE kind = 'batch' AND finished_at < $2::timestamptz - make_interval(days => $1)) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [BATCH_RETENTION_DAYS, now.toISOString()],
  );
  return rows[0].n;
}

/** A batch job's results, in the companies' order (a page of them). */
export async function batchResults(deps: Pick<JobDeps, "db">, jobId: string, offset = 0, limit = 10_000): Promise<BatchResult[]> {
  const { rows } = await deps.db.query<{ company_id: string; result: Omit<BatchResult, "id"> }>(
    "SELECT company_id, result FROM batch_items WHERE job_id = $1 AND result IS NOT NULL ORDER BY position OFFSET $2 LIMIT $3",
    [jobId, offset, limit],
  );
  return rows.map((r) => ({ id: r.company_id, ...r.result }));
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
export function companiesFromCsv(text: string): Array<{ id: string; profile: CompanyProfile }> {
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
      } else if ((LIST_COLUMNS as readonly string[]).includes(column)) profile[column] = raw.split(/[|；]/).map((s) => s.trim()).filter(Boolean);
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
