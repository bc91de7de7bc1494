import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./admin.handlers.js";
import * as routes from "./admin.routes.js";

export const adminRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.uploadRoute, handlers.upload)
  .openapi(routes.reindexRoute, handlers.reindex)
  .openapi(routes.embeddingsRoute, handlers.embeddings)
  .openapi(routes.switchRoute, handlers.switchModel)
  .openapi(routes.dropModelRoute, handlers.dropModel)
  .openapi(routes.listRoute, handlers.list)
  .openapi(routes.getRoute, handlers.get)
  .openapi(routes.cancelRoute, handlers.cancel)
  .openapi(routes.versionsRoute, handlers.versions)
  .openapi(routes.withdrawRoute, handlers.withdraw);
