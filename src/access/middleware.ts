import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-env.js";
import { AppError } from "../lib/errors.js";
import { type RefreshAhead, refreshAhead } from "../lib/refresh-ahead.js";
import { hasActiveKeys, OPEN_TENANT, type Scope, verifyApiKey, widgetOrigins } from "./keys.js";
import { checkRate } from "./rate-limit.js";

export type { Caller } from "./api-key.js";

/** What a route allows, declared where the route is declared (see authorize / publicRoute). */
export type RouteAccess = { scope: Scope; widget: boolean } | "public";

/** The calling tenant: the key's, or the open tenant of the localhost demo. */
export const tenantOf = (c: Context<AppEnv>): string => c.get("caller")?.tenantId ?? OPEN_TENANT;

/**
 * Where the caller's conversations live. A widget key sits in a public page, so anyone can copy it and
 * send a WeChat openid or a sessionId: its conversations are kept apart from the server keys' of the same tenant.
 */
export const conversationScope = (c: Context<AppEnv>): string => {
  const caller = c.get("caller");
  const tenant = caller?.tenantId ?? OPEN_TENANT;
  return caller?.kind === "widget" ? `${tenant}#widget` : tenant;
};

export const isLoopbackHost = (host: string) => host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);

const ACCESS = Symbol.for("policy-match.route-access");
type Tagged = MiddlewareHandler<AppEnv> & { [ACCESS]?: RouteAccess };
const tag = (handler: MiddlewareHandler<AppEnv>, access: RouteAccess): MiddlewareHandler<AppEnv> => Object.assign(handler, { [ACCESS]: access });

/** The access a handler declares, if it is one of authorize() / publicRoute(). */
export const declaredAccess = (handler: unknown): RouteAccess | undefined => (handler as Tagged | undefined)?.[ACCESS];

/** A route anyone may call (health, docs, the OpenAPI document, the widget script, a calendar feed by its secret URL). */
export const publicRoute = (): MiddlewareHandler<AppEnv> => tag(async (_c, next) => next(), "public");

/**
 * What the caller may do on this route: the scope it needs and whether a widget key (public, in a web page)
 * may call it. Rate limits count here, on the routes that do work.
 */
export function authorize(scope: Scope, options: { widget?: boolean } = {}): MiddlewareHandler<AppEnv> {
  const widget = options.widget ?? false;
  return tag(
    async (c, next) => {
      const failure = c.get("authFailure");
      if (failure) throw failure;
      const caller = c.get("caller");
      if (!caller) throw new AppError("unauthorized", "缺少 API key：请在 Authorization: Bearer <key> 或 X-API-Key 头中提供");
      if (caller.kind === "widget" && !widget)
        throw new AppError("forbidden", "widget key 是公开的，只能用于问答和匹配，不能读取或保存企业档案等数据；请用服务端 key");
      if (caller.scopes !== "all" && !caller.scopes.includes(scope)) throw new AppError("forbidden", `此 API key 没有 ${scope} 权限`);
      if (caller.keyId && caller.limits) {
        const deps = c.get("deps");
        const decision = await checkRate(deps.rateCounter, caller.keyId, caller.limits, deps.clock.now());
        c.header("ratelimit-limit", String(decision.limit));
        c.header("ratelimit-remaining", String(decision.remaining));
        c.header("ratelimit-reset", String(decision.resetSeconds));
        if (!decision.allowed) {
          c.header("retry-after", String(decision.resetSeconds));
          throw new AppError(
            "rate_limited",
            decision.exceeded === "day"
              ? `已用完今日配额（${decision.limit} 次），${decision.resetSeconds} 秒后重置`
              : `请求过于频繁：每分钟最多 ${decision.limit} 次，请 ${decision.resetSeconds} 秒后重试`,
          );
        }
      }
      return next();
    },
    { scope, widget },
  );
}

const CLOSED_WARNING_MS = 60_000;

/**
 * Key and origin changes made by the CLI reach a running server within 5 s. Read again in the background
 * once 2.5 s old, so under load no request waits behind a busy database for them; only after 5 s without a
 * request does one wait.
 */
const KEYS_FRESH = { freshMs: 2_500, staleMs: 5_000 };

/**
 * Authentication, for every request: who is calling. What they may do is each route's own declaration
 * (authorize), so a failure here is only recorded, and raised by the routes that need a caller.
 */
export function accessControl(): { cors: MiddlewareHandler<AppEnv>; authenticate: MiddlewareHandler<AppEnv> } {
  let keysExist: RefreshAhead<boolean> | undefined;
  let origins: RefreshAhead<Set<string>> | undefined;
  let lastClosedWarning = 0;
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
    origins ??= refreshAhead(() => widgetOrigins(deps.db), KEYS_FRESH);
    allowed = await origins.get();
    return corsMiddleware(c, next);
  };

  const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const deps = c.get("deps");
    const presented = presentedKey(c);
    if (presented) {
      const key = await verifyApiKey(deps.db, presented);
      if (!key) c.set("authFailure", new AppError("unauthorized", "API key 无效或已吊销"));
      else if (key.kind === "widget" && !key.allowedOrigins.includes(c.req.header("origin") ?? "")) {
        c.set("authFailure", new AppError("forbidden", `此 widget key 不允许来自 ${c.req.header("origin") ?? "未知来源"} 的请求`));
      } else {
        c.set("caller", {
          tenantId: key.tenantId,
          keyId: key.id,
          scopes: key.scopes,
          kind: key.kind,
          limits: { perMinute: key.ratePerMinute, perDay: key.dailyQuota },
        });
      }
      return next();
    }
    keysExist ??= refreshAhead(() => hasActiveKeys(deps.db), KEYS_FRESH);
    if (await keysExist.get()) return next();
    // No key exists at all. Open only for the embedded demo on localhost, decided now, not at start:
    // revoking the last key of a server on another address must leave it closed.
    if (deps.runtime === "workers") {
      // A deployment at the edge is never open: its keys are made from Node first.
      c.set("authFailure", new AppError("unauthorized", "尚未创建任何 API key：请先在 Node 端运行 npm run keys -- create …"));
    } else if (!isLoopbackHost(deps.listenHost)) {
      if (Date.now() - lastClosedWarning > CLOSED_WARNING_MS) {
        lastClosedWarning = Date.now();
        deps.logger.warn(
          "no API key exists and the server listens beyond localhost: every keyed route answers 401 until a key is created (npm run keys -- create …)",
          { host: deps.listenHost },
        );
      }
      c.set("authFailure", new AppError("unauthorized", "服务未开放：尚无任何 API key，且服务不只监听本机；请创建 API key"));
    } else {
      c.set("caller", { tenantId: OPEN_TENANT, keyId: null, scopes: "all", kind: "open" });
    }
    return next();
  };

  return { cors: corsHandler, authenticate };
}

function presentedKey(c: Context): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  return (bearer ?? c.req.header("x-api-key"))?.trim() || undefined;
}
