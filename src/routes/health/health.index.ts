import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./health.handlers.js";
import * as routes from "./health.routes.js";

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(routes.healthRoute, handlers.health);
