import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-env.js";
import { AppError } from "../lib/errors.js";
import { hasActiveKeys, OPEN_TENANT, verifyApiKey, widgetOrigins, type Scope } from "./keys.js";
import { checkRate } from "./rate-limit.js";

/** Who is calling: a tenant's key, or anyone on localhost while no key exists. */
export type Caller = { tenantId: string; keyId: string | null; scopes: Scope[] | "all"; kind: "server" | "widget" | "open" };

/** The calling tenant: the key's, or the open tenant of the localhost demo. */
export const tenantOf = (c: Context<AppEnv>): string => c.get("caller")?.tenantId ?? OPEN_TENANT;

const CACHE_MS = 5_000;

/** The scope a route needs; undefined for public routes (health, docs, the OpenAPI document). */
export function requiredScope(path: string): Scope | "any" | undefined {
  if (path === "/v1/chat" || path === "/v1/chat/completions") return "chat";
  if (path === "/v1/match" || holdsTenantData(path)) return "match";
  if (path === "/v1/policies" || path.startsWith("/v1/policies/")) return "policies:read";
  if (path.startsWith("/v1/admin/") || path === "/metrics") return "admin";
  return path.startsWith("/v1/") ? "any" : undefined;
}

const holdsTenantData = (path: string) => path === "/v1/match/batch" || path.startsWith("/v1/match/batch/") || path.startsWith("/v1/companies/") || path === "/v1/subscriptions" || path.startsWith("/v1/subscriptions/") || /^\/v1\/policies\/[^/]+\/candidates$/.test(path);

/** A value recomputed at most every few seconds: key changes made by the CLI reach a running server quickly. */
function cached<T>(load: () => Promise<T>): () => Promise<T> {
  let value: { at: number; v: Promise<T> } | undefined;
  return () => {
    if (!value || Date.now() - value.at > CACHE_MS) value = { at: Date.now(), v: load() };
    return value.v;
  };
}

export function accessControl(): { cors: MiddlewareHandler<AppEnv>; auth: MiddlewareHandler<AppEnv> } {
  let keysExist: (() => Promise<boolean>) | undefined;
  let origins: (() => Promise<Set<string>>) | undefined;
  // hono's cors asks for the origin synchronously: the set is refreshed (at most every few seconds) just before.
  let allowed = new Set<string>();
  const corsMiddleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["authorization", "x-api-key", "content-type", "accept", "x-request-id"],
    exposeHeaders: ["x-request-id", "retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"],
    maxAge: 600,
  });

  const corsHandler: MiddlewareHandler<AppEnv> = async (c, next) => {
    const deps = c.get("deps");
    origins ??= cached(() => widgetOrigins(deps.db));
    allowed = await origins();
    return corsMiddleware(c, next);
  };

  const auth: MiddlewareHandler<AppEnv> = async (c, next) => {
    const scope = requiredScope(c.req.path);
    if (!scope || c.req.method === "OPTIONS") return next();
    const deps = c.get("deps");
    keysExist ??= cached(() => hasActiveKeys(deps.db));
    const presented = presentedKey(c);
    if (!presented && !(await keysExist())) {
      // A deployment at the edge is never open: its keys are made from Node first.
      if (deps.runtime === "workers") throw new AppError("unauthorized", "尚未创建任何 API key：请先在 Node 端运行 npm run keys -- create …");
      // No key exists at all: the embedded demo, which only listens on localhost.
      c.set("caller", { tenantId: OPEN_TENANT, keyId: null, scopes: "all", kind: "open" });
      return next();
    }
    if (!presented) throw new AppError("unauthorized", "缺少 API key：请在 Authorization: Bearer <key> 或 X-API-Key 头中提供");
    const key = await verifyApiKey(deps.db, presented);
    if (!key) throw new AppError("unauthorized", "API key 无效或已吊销");
    if (key.kind === "widget") {
      const origin = c.req.header("origin");
      if (!origin || !key.allowedOrigins.includes(origin)) throw new AppError("forbidden", `此 widget key 不允许来自 ${origin ?? "未知来源"} 的请求`);
      // A widget key sits in a public page: the tenant's saved companies need a server key.
      if (holdsTenantData(c.req.path)) throw new AppError("forbidden", "widget key 是公开的，不能读取或保存企业档案；请用服务端 key");
    }
    if (scope !== "any" && !key.scopes.includes(scope)) throw new AppError("forbidden", `此 API key 没有 ${scope} 权限`);

    const decision = await checkRate(deps.rateCounter, key.id, { perMinute: key.ratePerMinute, perDay: key.dailyQuota }, deps.clock.now());
    c.header("ratelimit-limit", String(decision.limit));
    c.header("ratelimit-remaining", String(decision.remaining));
    c.header("ratelimit-reset", String(decision.resetSeconds));
    if (!decision.allowed) {
      c.header("retry-after", String(decision.resetSeconds));
      throw new AppError("rate_limited", decision.exceeded === "day" ? `已用完今日配额（${decision.limit} 次），${decision.resetSeconds} 秒后重置` : `请求过于频繁：每分钟最多 ${decision.limit} 次，请 ${decision.resetSeconds} 秒后重试`);
    }
    c.set("caller", { tenantId: key.tenantId, keyId: key.id, scopes: key.scopes, kind: key.kind });
    return next();
  };

  return { cors: corsHandler, auth };
}

function presentedKey(c: Context): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return (bearer ?? c.req.header("x-api-key"))?.trim() || undefined;
}
