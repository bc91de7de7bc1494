import type { Clock } from "./clock.js";

// Policies close "on 31 December" in Beijing: every "today" in the service is China's date, not UTC's.
const CN_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in China (YYYY-MM-DD). */
export const todayInChina = (clock: Clock): string => chinaDate(clock.now());

/** The China calendar date of an instant (YYYY-MM-DD). */
export const chinaDate = (at: Date): string => CN_DATE.format(at);

/** YYYY-MM-DD for a real calendar date, or null (2月30日 is not a date). */
export function isoDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1000 || y > 9999) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.toISOString().slice(0, 10) : null;
}

/** Whether a YYYY-MM-DD string names a real calendar date. */
export function isRealIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && isoDate(+m[1], +m[2], +m[3]) === s;
}
