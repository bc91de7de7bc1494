import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";
import { todayInChina } from "../lib/china-time.js";

/** Fields that make an answer one caller's own: a saved company, a conversation. Such requests are never cached. */
const PERSONAL_FIELDS = ["companyId", "sessionId", "externalUserId"];

/**
 * Identical questions and profiles get the same answer until the library changes. Route middleware, after
 * authorize: an answer is only ever served to a caller the route admitted, and only to the tenant and kind
 * of caller it was made for.
 */
export function cachedAnswer(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header("accept")?.includes("text/event-stream")) return next();
    const text = await c.req.text();
    if (isPersonal(text)) return next();
    const deps = c.get("deps");
    const caller = c.get("caller");
    const key = [c.req.path, caller?.tenantId ?? "", caller?.kind ?? "", todayInChina(deps.clock), text].join("\n");
    const cached = await deps.responseCache.get(key);
    if (cached !== undefined) return c.body(cached, 200, { "content-type": "application/json; charset=UTF-8", "x-cache": "hit" });
    await next();
    if (c.res.status === 200 && !c.res.headers.get("cache-control")?.includes("no-store")) {
      // Read once and sent as read: a clone would tee the body's stream, which cost more than the answer's JSON.
      const body = await c.res.text();
      await deps.responseCache.set(key, body);
      c.res = new Response(body, { status: 200, headers: c.res.headers });
      c.res.headers.set("x-cache", "miss");
    }
  };
}

function isPersonal(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  return typeof parsed === "object" && parsed !== null && PERSONAL_FIELDS.some((f) => f in parsed);
}
