import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { accessControl } from "./access/middleware.js";
import type { AppEnv } from "./app-env.js";
import type { Deps } from "./deps.js";
import { AppError, handleError } from "./lib/errors.js";
import { inputGuard } from "./lib/input-guard.js";
import { routeLabel } from "./lib/prometheus.js";
import { tooLarge } from "./lib/too-large.js";
import { adminRoutes } from "./routes/admin/admin.index.js";
import { chatRoutes } from "./routes/chat/chat.index.js";
import { companyRoutes } from "./routes/companies/companies.index.js";
import { serveDocs } from "./routes/docs/docs.index.js";
import { healthRoutes } from "./routes/health/health.index.js";
import { matchRoutes } from "./routes/match/match.index.js";
import { metricsRoutes } from "./routes/metrics/metrics.index.js";
import { openaiRoutes } from "./routes/openai/openai.index.js";
import { policyRoutes } from "./routes/policies/policies.index.js";
import { subscriptionRoutes } from "./routes/subscriptions/subscriptions.index.js";
import { widgetRoutes } from "./routes/widget/widget.index.js";

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    // zod failures become the one error shape, naming the field.
    defaultHook: (result) => {
      if (!result.success) {
        const message = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
        throw new AppError("bad_request", message);
      }
    },
  });
}

export function createApp(deps: Deps) {
  const app = createRouter();
  app.use(async (c, next) => {
    const requestId = c.req.header("x-request-id")?.slice(0, 64) || `req_${crypto.randomUUID().slice(0, 12)}`;
    c.set("requestId", requestId);
    // Every line logged while serving the request carries its id.
    c.set("deps", { ...deps, logger: deps.logger.child({ requestId }) });
    c.header("x-request-id", requestId);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c.req.path);
    deps.metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    if (c.res.status === 429) deps.metrics.rateLimited();
    const caller = c.get("caller");
    deps.logger.info("request", {
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 1000),
      ...(caller ? { tenant: caller.tenantId, key: caller.keyId } : {}),
      ...(c.res.headers.get("x-cache") ? { cache: c.res.headers.get("x-cache") } : {}),
    });
  });
  // Admission: a request past the first REQUEST_CONCURRENCY waits here, before any work, its body unread.
  // On one thread, 64 requests in flight each take a turn between any two steps of every other, so a
  // liveness probe behind them waited 100-200 ms on PostgreSQL; a few at a time, it answers at once.
  app.use("*", (c, next) => (c.req.path === "/health" ? next() : deps.requestSlots.run(() => next())));
  const access = accessControl();
  // Who is calling, for every request; what a caller may do is declared on each route (authorize / publicRoute).
  app.use(access.cors, access.authenticate);
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => tooLarge(c, maxSize),
    });
  const apiLimit = limitTo(deps.limits.maxBodyBytes),
    uploadLimit = limitTo(deps.limits.uploadMaxBytes);
  // Policy files and batches of companies may be larger than any JSON request: they have the upload limit.
  app.use("*", (c, next) => (c.req.path === "/v1/admin/upload" || c.req.path === "/v1/match/batch" ? uploadLimit(c, next) : apiLimit(c, next)));
  app.use("*", inputGuard());
  app.onError(handleError);
  app.notFound((c) => handleError(new AppError("not_found", `没有这个接口：${c.req.method} ${c.req.path}`), c));

  app
    .route("/", healthRoutes)
    .route("/", chatRoutes)
    .route("/", matchRoutes)
    .route("/", companyRoutes)
    .route("/", subscriptionRoutes)
    .route("/", openaiRoutes)
    .route("/", policyRoutes)
    .route("/", metricsRoutes)
    .route("/", adminRoutes)
    .route("/", widgetRoutes);
  serveDocs(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
