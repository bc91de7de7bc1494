import type { BatchResult } from "../companies/matching.js";
import type { CompanyProfile } from "../policies/profile.js";
import type { Queryable } from "./db.js";

/** A batch job's companies (batch_items) beside its row in jobs. */
export type BatchItem = { position: number; companyId: string; profile: CompanyProfile };
type Verdicts = Omit<BatchResult, "id">;

/** Batch jobs of a tenant still queued or running. */
export async function countLiveBatchJobs(db: Queryable, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM jobs WHERE kind = 'batch' AND status IN ('queued', 'running') AND params->>'tenantId' = $1",
    [tenantId],
  );
  return rows[0].n;
}

/** Stores a job's companies in their order, a thousand per statement. */
export async function insertBatchItems(db: Queryable, jobId: string, companies: Array<{ id: string; profile: CompanyProfile }>): Promise<void> {
  for (let i = 0; i < companies.length; i += 1000) {
    const slice = companies.slice(i, i + 1000);
    await db.query(
      "INSERT INTO batch_items (job_id, position, company_id, profile) SELECT $1, u.position, u.id, u.profile::jsonb FROM unnest($2::int[], $3::text[], $4::text[]) AS u(position, id, profile)",
      [jobId, slice.map((_, k) => i + k), slice.map((c) => c.id), slice.map((c) => JSON.stringify(c.profile))],
    );
  }
}

/** The next `limit` companies of the job not yet judged, in order. */
export async function unjudgedBatchItems(db: Queryable, jobId: string, limit: number): Promise<BatchItem[]> {
  const { rows } = await db.query<{ position: number; company_id: string; profile: CompanyProfile }>(
    "SELECT position, company_id, profile FROM batch_items WHERE job_id = $1 AND result IS NULL ORDER BY position LIMIT $2",
    [jobId, limit],
  );
  return rows.map((r) => ({ position: r.position, companyId: r.company_id, profile: r.profile }));
}

export async function storeBatchVerdicts(db: Queryable, jobId: string, verdicts: Array<{ position: number; result: Verdicts }>): Promise<void> {
  await db.query(
    "UPDATE batch_items b SET result = u.result::jsonb FROM unnest($2::int[], $3::text[]) AS u(position, result) WHERE b.job_id = $1 AND b.position = u.position",
    [jobId, verdicts.map((v) => v.position), verdicts.map((v) => JSON.stringify(v.result))],
  );
}

/** Sets the job's progress to the companies judged so far; returns whether a cancel was asked for. */
export async function recordBatchProgress(db: Queryable, jobId: string, current: string, counts: Record<string, number>): Promise<boolean> {
  const { rows } = await db.query<{ cancel_requested: boolean }>(
    "UPDATE jobs SET done = (SELECT count(*)::int FROM batch_items WHERE job_id = $1 AND result IS NOT NULL), current = $2, counts = $3 WHERE id = $1 RETURNING cancel_requested",
    [jobId, current, JSON.stringify(counts)],
  );
  return !!rows[0]?.cancel_requested;
}

/** Deletes the companies and results of batch jobs finished more than `days` before `now`; returns how many rows went. */
export async function purgeBatchItems(db: Queryable, days: number, now: Date): Promise<number> {
  // Measured on the clock that stamped finished_at.
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM batch_items WHERE job_id IN (
       SELECT id FROM jobs WHERE kind = 'batch' AND finished_at < $2::timestamptz - make_interval(days => $1)) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [days, now.toISOString()],
  );
  return rows[0].n;
}

/** A page of a job's results, in the companies' order. */
export async function batchResultsPage(db: Queryable, jobId: string, offset: number, limit: number): Promise<BatchResult[]> {
  const { rows } = await db.query<{ company_id: string; result: Verdicts }>(
    "SELECT company_id, result FROM batch_items WHERE job_id = $1 AND result IS NOT NULL ORDER BY position OFFSET $2 LIMIT $3",
    [jobId, offset, limit],
  );
  return rows.map((r) => ({ id: r.company_id, ...r.result }));
}
