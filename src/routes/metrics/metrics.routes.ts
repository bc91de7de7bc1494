import { createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../../access/middleware.js";
import { accessErrors } from "../schemas.js";

export const metricsRoute = createRoute({
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
