import type { Queryable } from "../db/db.js";
import { deleteExpiredCounters, hitWindows } from "../db/rate-counter-store.js";

/**
 * Fixed-window counters for a key's per-minute rate and daily quota, both
 * counted by one call. On PostgreSQL the counters are rows, so every server
 * process sharing the database shares the limits; the embedded default keeps
 * them in memory (one process owns a PGlite folder anyway).
 */
export type RateCounter = {
  /** Counts one request in each window; returns the hits so far, this one included. */
  hit(windows: Array<{ key: string; start: Date; end: Date }>, now: Date): Promise<number[]>;
};

export function createMemoryCounter(): RateCounter {
  const counts = new Map<string, { hits: number; end: number }>();
  return {
    async hit(windows, now) {
      if (counts.size > 10_000) for (const [k, v] of counts) if (v.end <= now.getTime()) counts.delete(k);
      return windows.map((w) => {
        const id = `${w.key}@${w.start.getTime()}`;
        const entry = counts.get(id) ?? { hits: 0, end: w.end.getTime() };
        entry.hits++;
        counts.set(id, entry);
        return entry.hits;
      });
    },
  };
}

export function createDatabaseCounter(db: Queryable): RateCounter {
  let lastSweep = 0;
  return {
    async hit(windows, now) {
      const hits = await hitWindows(db, windows);
      if (now.getTime() - lastSweep > 60_000) {
        lastSweep = now.getTime();
        await deleteExpiredCounters(db, now);
      }
      return hits;
    },
  };
}

export type RateDecision = {
  allowed: boolean;
  /** The window that decides what the headers report: the one exhausted, else the per-minute one. */
  limit: number;
  remaining: number;
  resetSeconds: number;
  /** Set when refused: "minute" or "day". */
  exceeded?: "minute" | "day";
};

/** Counts a request against a key's per-minute rate and daily quota (days in China Standard Time). */
export async function checkRate(counter: RateCounter, keyId: string, limits: { perMinute: number; perDay: number }, now: Date): Promise<RateDecision> {
  const minuteStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const minuteEnd = new Date(minuteStart.getTime() + 60_000);
  const CST = 8 * 3_600_000;
  const dayStart = new Date(Math.floor((now.getTime() + CST) / 86_400_000) * 86_400_000 - CST);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const [minuteHits, dayHits] = await counter.hit(
    [
      { key: `${keyId}:m`, start: minuteStart, end: minuteEnd },
      { key: `${keyId}:d`, start: dayStart, end: dayEnd },
    ],
    now,
  );
  const seconds = (end: Date) => Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
  if (dayHits > limits.perDay) return { allowed: false, limit: limits.perDay, remaining: 0, resetSeconds: seconds(dayEnd), exceeded: "day" };
  if (minuteHits > limits.perMinute) return { allowed: false, limit: limits.perMinute, remaining: 0, resetSeconds: seconds(minuteEnd), exceeded: "minute" };
  return { allowed: true, limit: limits.perMinute, remaining: limits.perMinute - minuteHits, resetSeconds: seconds(minuteEnd) };
}
