import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The service's Prometheus metrics, in a registry of its own (one per app, never a process global). */
export type PrometheusMetrics = {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  modelFallback(reason: string): void;
  rateLimited(): void;
  /** Reports the library held in this process (read at each scrape). */
  watchLibrary(read: () => LibraryCounts): void;
  render(): Promise<{ body: string; contentType: string }>;
};

/** What a process's library has done: its generation and size, and how lexical searches were answered. */
export type LibraryCounts = { generation: number; chunks: number; loads: number; deltas: number; snapshotSearches: number; sqlFallbacks: number };

export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: "policy_match_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "policy_match_http_request_duration_seconds",
    help: "HTTP request latency (time to the response head; streams continue after it)",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: "policy_match_model_fallbacks_total",
    help: "Answers that fell back to extractive because the chat model failed, by reason",
    labelNames: ["reason"],
    registers: [registry],
  });
  const limited = new Counter({
    name: "policy_match_rate_limited_total",
    help: "Requests refused by a key's rate limit or daily quota",
    registers: [registry],
  });
  let library: (() => LibraryCounts) | undefined;
  const gauge = (name: string, help: string, value: (c: LibraryCounts) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        if (library) this.set(value(library()));
      },
    });
  gauge("policy_match_library_generation", "The library generation this process's snapshot is at", (c) => c.generation);
  gauge("policy_match_library_chunks", "Chunks in this process's lexical index", (c) => c.chunks);
  gauge("policy_match_library_loads", "Whole loads of the library (start, compaction, a change set too large to apply)", (c) => c.loads);
  gauge("policy_match_library_deltas", "Change sets applied to the snapshot incrementally", (c) => c.deltas);
  gauge("policy_match_lexical_snapshot_searches", "Lexical searches answered from the snapshot", (c) => c.snapshotSearches);
  gauge(
    "policy_match_lexical_sql_fallbacks",
    "Lexical searches the SQL path answered because writes kept landing between the snapshot's reads",
    (c) => c.sqlFallbacks,
  );
  return {
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    modelFallback: (reason) => fallbacks.inc({ reason }),
    rateLimited: () => limited.inc(),
    watchLibrary: (read) => void (library = read),
    render: async () => ({ body: await registry.metrics(), contentType: registry.contentType }),
  };
}

const ROUTES = [/^\/v1\/policies\/[^/]+$/, "/v1/policies/:id"] as const;

/** A request path as a metric label: ids folded so the label set stays small. */
export function routeLabel(path: string): string {
  if (ROUTES[0].test(path)) return ROUTES[1];
  return ["/v1/chat", "/v1/chat/completions", "/v1/match", "/v1/policies", "/health", "/metrics", "/openapi.json", "/docs"].includes(path) ? path : "other";
}
