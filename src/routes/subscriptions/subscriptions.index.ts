import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./subscriptions.handlers.js";
import * as routes from "./subscriptions.routes.js";

export const subscriptionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.subscribeRoute, handlers.create)
  .openapi(routes.listRoute, handlers.list)
  .openapi(routes.deleteRoute, handlers.remove)
  .openapi(routes.deliveriesRoute, handlers.deliveries)
  .openapi(routes.notificationsRoute, handlers.notifications);
