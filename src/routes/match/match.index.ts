import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./match.handlers.js";
import * as routes from "./match.routes.js";

export const matchRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.matchRoute, handlers.match)
  .openapi(routes.batchRoute, handlers.batch)
  .openapi(routes.batchJobRoute, handlers.batchJob)
  .openapi(routes.batchCsvRoute, handlers.batchResultCsv);
