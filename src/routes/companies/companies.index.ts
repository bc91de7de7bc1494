import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./companies.handlers.js";
import * as routes from "./companies.routes.js";

export const companyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(routes.putRoute, handlers.save)
  .openapi(routes.getRoute, handlers.get)
  .openapi(routes.deleteRoute, handlers.remove)
  .openapi(routes.calendarRoute, handlers.calendar)
  .openapi(routes.feedRoute, handlers.feed);
