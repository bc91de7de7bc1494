import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env.js";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness and readiness: the database answers and how many policies are indexed",
  security: [],
  responses: {
    200: {
      description: "Healthy",
      content: {
        "application/json": {
          schema: z.object({
            status: z.literal("ok").openapi({ description: "The database answered" }),
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

import { queryEmbedder } from "../retrieval/embedding-models.js";

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, async (c) => {
  const deps = c.get("deps");
  const { db } = deps;
  const embedder = await queryEmbedder(deps);
  const { rows } = await db.query<{ policies: number; chunks: number }>(
    "SELECT (SELECT count(*)::int FROM policies) AS policies, (SELECT count(*)::int FROM chunks) AS chunks",
  );
  return c.json({ status: "ok" as const, database: db.kind, embeddingModel: embedder.modelName, ...rows[0] }, 200);
});
