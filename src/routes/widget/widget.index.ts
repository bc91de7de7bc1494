import { Hono } from "hono";
import { publicRoute } from "../../access/middleware.js";
import type { AppEnv } from "../../app-env.js";
import * as handlers from "./widget.handlers.js";

/** The embeddable widget and the demo page that embeds it; both public. */
export const widgetRoutes = new Hono<AppEnv>().get("/widget.js", publicRoute(), handlers.script).get("/", publicRoute(), handlers.demo);
