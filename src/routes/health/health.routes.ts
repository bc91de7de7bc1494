import { createRoute, z } from "@hono/zod-openapi";
import { publicRoute } from "../../access/middleware.js";

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  middleware: [publicRoute()] as const,
  tags: ["system"],
  summary: "Liveness and readiness: the database answers and how many policies are indexed",
  security: [],
  responses: {
    200: {
      description: "Healthy",
      content: {
        "application/json": {
          schema: z.object({
            status: z
              .literal("ok")
              .openapi({ description: "The database answered: now, or within the last 30 s when it is busy (the counts are then from that answer)" }),
            database: z.enum(["pglite", "postgres"]).openapi({ description: "Which database serves the library" }),
            embeddingModel: z.string().openapi({ description: "The model questions are embedded with", example: "local-hash-v1-1024" }),
            policies: z.number().int().openapi({ description: "Policies indexed", example: 30 }),
            chunks: z.number().int().openapi({ description: "Passages indexed", example: 194 }),
          }),
        },
      },
    },
  },
});
