import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { authorize } from "../access/middleware.js";
import type { AppEnv } from "../app-env.js";
import { accessErrors } from "./schemas.js";

const route = createRoute({
  method: "get",
  path: "/metrics",
  middleware: [authorize("admin")] as const,
  tags: ["operations"],
  summary: "Prometheus metrics: requests, latency histograms, model fallbacks, rate-limit refusals (admin scope)",
  responses: {
    200: { description: "Metrics in the Prometheus text format", content: { "text/plain": { schema: z.string() } } },
    ...accessErrors("admin"),
  },
});

export const metricsRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const { body, contentType } = await c.get("deps").metrics.render();
  return c.body(body, 200, { "content-type": contentType }) as never;
});
