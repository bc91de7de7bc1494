import type { PolicyCriteria } from "../policies/criteria.js";
import type { Queryable } from "./db.js";

// The library as a whole: its size, its version, the criteria stored for it, and the planner's statistics.

export async function libraryCounts(db: Queryable): Promise<{ policies: number; chunks: number }> {
  const { rows } = await db.query<{ policies: number; chunks: number }>(
    "SELECT (SELECT count(*)::int FROM policies) AS policies, (SELECT count(*)::int FROM chunks) AS chunks",
  );
  return rows[0];
}

/** Changes whenever an ingest run (or an embedding switch) is recorded: what cached answers are keyed on. */
export async function libraryVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ v: string }>("SELECT coalesce(max(id), 0)::text AS v FROM ingest_runs");
  return rows[0].v;
}

/** Every indexed policy's stored criteria, in id order. */
export async function storedCriteria(db: Queryable): Promise<PolicyCriteria[]> {
  const { rows } = await db.query<{ criteria: PolicyCriteria }>("SELECT criteria FROM policies ORDER BY id");
  return rows.map((r) => r.criteria);
}

/** Fresh statistics after policies changed, or the planner keeps estimating an empty table and skips the indexes. */
export async function analyzeLibrary(db: Queryable): Promise<void> {
  await db.query("ANALYZE policies, chunks, term_stats");
}
