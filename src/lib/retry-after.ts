/** A response's Retry-After (seconds) in ms, from fetch Headers or a plain header record; undefined when absent or not a number. */
export function retryAfterMs(headers: unknown): number | undefined {
  const v = headers instanceof Headers ? headers.get("retry-after") : (headers as Record<string, string> | undefined)?.["retry-after"];
  const seconds = v === undefined || v === null ? NaN : Number(v);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
