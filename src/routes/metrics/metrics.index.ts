import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./metrics.handlers.js";
import * as routes from "./metrics.routes.js";

export const metricsRoutes = new OpenAPIHono<AppEnv>().openapi(routes.metricsRoute, handlers.render);
