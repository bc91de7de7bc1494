import { Worker } from "node:worker_threads";

export type LoadRequest = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number; timeouts: number; requests: number };
/** A load of distinct requests: how many bodies there were and how many requests had to reuse one (0 when the list sufficed). */
export type DistinctLoadResult = LoadResult & { distinct: number; repeated: number };

type WorkerResult = {
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
  timeouts: number;
  bodiesUsed: number;
};

function run(workerData: Record<string, unknown>, duration: number): Promise<LoadResult & { bodiesUsed: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), { workerData });
    worker.once("message", (r: WorkerResult) => {
      resolve({
        rps: Math.round(r.requests.total / duration),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        requests: r.requests.total,
        bodiesUsed: r.bodiesUsed,
      });
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

/** autocannon against `url` for `duration` s with `connections`, cycling through `requests`. */
export async function load(url: string, requests: LoadRequest[], duration: number, connections: number): Promise<LoadResult> {
  const { bodiesUsed: _, ...result } = await run({ url, duration, connections, requests }, duration);
  return result;
}

/**
 * autocannon against `url` for `duration` s with `connections`, every request `template` with the next of
 * `bodies` (across all connections), so no body is sent twice unless the list runs out (`repeated` counts those).
 */
export async function loadDistinct(url: string, template: LoadRequest, bodies: string[], duration: number, connections: number): Promise<DistinctLoadResult> {
  const { bodiesUsed, ...result } = await run({ url, duration, connections, template, bodies }, duration);
  return { ...result, distinct: bodies.length, repeated: Math.max(0, bodiesUsed - bodies.length) };
}
