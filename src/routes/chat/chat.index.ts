import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./chat.handlers.js";
import * as routes from "./chat.routes.js";

export const chatRoutes = new OpenAPIHono<AppEnv>().openapi(routes.chatRoute, handlers.ask);
