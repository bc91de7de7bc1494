import type { AppRouteHandler } from "../../app-env.js";
import { libraryHealth } from "../../policies/library-health.js";
import type * as routes from "./health.routes.js";

export const health: AppRouteHandler<typeof routes.healthRoute> = async (c) => c.json({ status: "ok" as const, ...(await libraryHealth(c.get("deps"))) }, 200);
