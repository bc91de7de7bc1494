import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Caller } from "./access/api-key.js";
import type { Deps } from "./deps.js";
import type { AppError } from "./lib/errors.js";

export type AppEnv = { Variables: { deps: Deps; requestId: string; caller: Caller; authFailure: AppError } };

/** A handler typed by its route definition: its input validated, its responses the declared ones. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
