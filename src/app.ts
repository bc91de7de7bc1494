import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env.js";
import type { Deps } from "./deps.js";
import { AppError, handleError } from "./lib/errors.js";
import { chatRoutes } from "./routes/chat.js";
import { docsPage } from "./routes/docs.js";
import { healthRoutes } from "./routes/health.js";
import { matchRoutes } from "./routes/match.js";
import { policyRoutes } from "./routes/policies.js";

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
    c.set("deps", deps);
    c.header("x-request-id", requestId);
    await next();
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: deps.limits.maxBodyBytes,
      onError: () => {
        throw new AppError("payload_too_large", `请求体超过 ${deps.limits.maxBodyBytes} 字节的上限`);
      },
    }),
  );
  // Identical questions and profiles get the same answer until the library changes.
  for (const path of ["/v1/chat", "/v1/match"]) {
    app.post(path, async (c, next) => {
      if (c.req.header("accept")?.includes("text/event-stream")) return next();
      const text = await c.req.text();
      // A conversation's answer depends on its history: never from the cache.
      if (isConversational(text)) return next();
      const key = `${c.req.path}\n${deps.clock.now().toISOString().slice(0, 10)}\n${text}`;
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

  app.route("/", healthRoutes).route("/", chatRoutes).route("/", matchRoutes).route("/", policyRoutes);
  app.doc31("/openapi.json", {
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

function isConversational(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    return typeof parsed === "object" && parsed !== null && ("sessionId" in parsed || "externalUserId" in parsed);
  } catch {
    return false;
  }
}
