import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./openai.handlers.js";
import * as routes from "./openai.routes.js";

export const openaiRoutes = new OpenAPIHono<AppEnv>().openapi(routes.completionsRoute, handlers.complete);
