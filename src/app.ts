import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env.js";
import type { Deps } from "./deps.js";
import { accessControl } from "./access/middleware.js";
import { AppError, handleError } from "./lib/errors.js";
import { routeLabel } from "./lib/metrics.js";
import { adminRoutes } from "./routes/admin.js";
import { chatRoutes } from "./routes/chat.js";
import { docsPage } from "./routes/docs.js";
import { healthRoutes } from "./routes/health.js";
import { matchRoutes } from "./routes/match.js";
import { metricsRoutes } from "./routes/metrics.js";
import { openaiRoutes } from "./routes/openai.js";
import { policyRoutes } from "./routes/policies.js";
import { widgetRoutes } from "./routes/widget.js";
import { companyRoutes } from "./routes/companies.js";
import { subscriptionRoutes } from "./routes/subscriptions.js";
import { todayInChina } from "./lib/china-time.js";

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
      requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000),
      ...(caller ? { tenant: caller.tenantId, key: caller.keyId } : {}),
      ...(c.res.headers.get("x-cache") ? { cache: c.res.headers.get("x-cache") } : {}),
    });
  });
  const access = accessControl();
  app.use(access.cors, access.auth);
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError("payload_too_large", `请求体超过 ${maxSize} 字节的上限`);
      },
    });
  const apiLimit = limitTo(deps.limits.maxBodyBytes), uploadLimit = limitTo(deps.limits.uploadMaxBytes);
  // Policy files and batches of companies may be larger than any JSON request: they have the upload limit.
  app.use("/v1/*", (c, next) => (c.req.path === "/v1/admin/upload" || c.req.path === "/v1/match/batch" ? uploadLimit(c, next) : apiLimit(c, next)));
  // PostgreSQL stores neither NUL nor half a surrogate pair: name a NUL's field, mend lone surrogates (to U+FFFD).
  app.post("/v1/*", async (c, next) => {
    if (!c.req.header("content-type")?.includes("json")) return next();
    const text = await c.req.text();
    if (/\\u0000|\\u[dD][89a-fA-F]/.test(text)) {
      const parsed = safeJson(text);
      const path = nulPath(parsed);
      if (path !== undefined) throw new AppError("bad_request", `${path || "body"}: 不能包含 NUL 控制字符（\\u0000）`);
      // Validators and the cache read the request's cached text: give them the mended body.
      // (Hono keeps promises there, whatever its type says.)
      if (parsed !== undefined) (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(JSON.stringify(wellFormed(parsed)));
    }
    await next();
  });
  // Identical questions and profiles get the same answer until the library changes.
  for (const path of ["/v1/chat", "/v1/match"]) {
    app.post(path, async (c, next) => {
      if (c.req.header("accept")?.includes("text/event-stream")) return next();
      const text = await c.req.text();
      // A conversation's answer depends on its history: never from the cache.
      if (isConversational(text)) return next();
      const key = `${c.req.path}\n${todayInChina(deps.clock)}\n${text}`;
      const cached = await deps.responseCache.get(key);
      if (cached !== undefined) return c.body(cached, 200, { "content-type": "application/json; charset=UTF-8", "x-cache": "hit" });
      await next();
      if (c.res.status === 200 && !c.res.headers.get("cache-control")?.includes("no-store")) {
        await deps.responseCache.set(key, await c.res.clone().text());
        c.res.headers.set("x-cache", "miss");
      }
    });
  }
  app.onError(handleError);
  app.notFound((c) => handleError(new AppError("not_found", `没有这个接口：${c.req.method} ${c.req.path}`), c));

  app.route("/", healthRoutes).route("/", chatRoutes).route("/", matchRoutes).route("/", companyRoutes).route("/", subscriptionRoutes).route("/", openaiRoutes).route("/", policyRoutes).route("/", metricsRoutes).route("/", adminRoutes).route("/", widgetRoutes);
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key from `npm run keys -- create` (pm_…), as `Authorization: Bearer <key>` or in the X-API-Key header",
  });
  app.doc31("/openapi.json", {
    security: [{ apiKey: [] }],
    openapi: "3.1.0",
    info: {
      title: "policy-match API",
      version: "1.0.0",
      description: "科技政策问答与匹配：ask about science-and-technology policies and get matching policies with conditions and citations.",
    },
  });
  app.get("/docs", (c) => c.html(docsPage("/openapi.json")));
  return app;
}

export type App = ReturnType<typeof createApp>;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const mend = (s: string) => s.replace(LONE_SURROGATE, "\ufffd");

function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return mend(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [mend(k), wellFormed(v)]));
  return value;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where in a parsed body a string holds NUL: "profile.facts.0", or undefined. */
function nulPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = nulPath(v, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isConversational(body: string): boolean {
  const parsed = safeJson(body);
  return typeof parsed === "object" && parsed !== null && ("sessionId" in parsed || "externalUserId" in parsed);
}
