import { Worker } from "node:worker_threads";

export type LoadRequest = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number; timeouts: number; requests: number };

/** autocannon against `url` for `duration` s with `connections`, cycling through `requests`. */
export function load(url: string, requests: LoadRequest[], duration: number, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
      workerData: { url, duration, connections, requests },
    });
    worker.once("message", (r: { requests: { total: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number }) => {
      resolve({
        rps: Math.round(r.requests.total / duration),
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        requests: r.requests.total,
      });
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}
