import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./policies.handlers.js";
import * as routes from "./policies.routes.js";

export const policyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.listRoute, handlers.list)
  .openapi(routes.getRoute, handlers.get)
  .openapi(routes.candidatesRoute, handlers.candidates);
