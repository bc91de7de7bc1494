/** Latency figures as the bench reports them, in milliseconds. */
export type Latency = { samples: number; p50: number; p95: number; p99: number; mean: number; max: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    samples: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    max: round(s[s.length - 1] ?? NaN),
  };
}

/**
 * Runs `fn` over the inputs in turn until at least `samples` timings exist,
 * after one warm-up pass; a slow configuration stops after `budgetMs` once it
 * has one full pass, so a large library cannot hold the run up for long.
 */
export async function timeEach<T>(inputs: T[], samples: number, fn: (input: T) => Promise<unknown>, budgetMs = 90_000): Promise<Latency> {
  for (const x of inputs) await fn(x);
  const ms: number[] = [];
  const started = performance.now();
  while (ms.length < samples && (ms.length < inputs.length || performance.now() - started < budgetMs)) {
    for (const x of inputs) {
      const t0 = performance.now();
      await fn(x);
      ms.push(performance.now() - t0);
    }
  }
  return summarize(ms);
}
