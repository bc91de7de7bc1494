import type { Queryable } from "./db.js";

/**
 * Counts one hit in each fixed window (key, start), creating the rows it
 * needs; one statement, atomic per row, so concurrent processes never lose a
 * hit. Returns each window's hits so far, this one included.
 */
export async function hitWindows(db: Queryable, windows: Array<{ key: string; start: Date; end: Date }>): Promise<number[]> {
  const values = windows.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}::timestamptz, 1, $${i * 3 + 3}::timestamptz)`).join(", ");
  const params = windows.flatMap((w) => [w.key, w.start.toISOString(), w.end.toISOString()]);
  const { rows } = await db.query<{ key: string; window_start: Date | string; hits: number }>(
    `INSERT INTO rate_counters (key, window_start, hits, expires_at) VALUES ${values}
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1
     RETURNING key, window_start, hits`,
    params,
  );
  return windows.map((w) => rows.find((r) => r.key === w.key && new Date(r.window_start).getTime() === w.start.getTime())?.hits ?? 1);
}

export async function deleteExpiredCounters(db: Queryable, now: Date): Promise<void> {
  await db.query("DELETE FROM rate_counters WHERE expires_at < $1", [now.toISOString()]);
}
