import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { publicRoute } from "../access/middleware.js";
import type { AppEnv } from "../app-env.js";
import type { Deps } from "../deps.js";
import { libraryCounts } from "../policies/catalogue.js";
import { queryEmbedder } from "../retrieval/embedding-models.js";

const healthRoute = createRoute({
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

type Snapshot = { database: "pglite" | "postgres"; embeddingModel: string; policies: number; chunks: number };
type Probe = { snapshot?: Snapshot; at: number; failed?: boolean; refreshing?: Promise<Snapshot> };

/** Younger than this, the last answer is the answer. */
const FRESH_MS = 1_000;
/** Up to this old, it answers while a fresh one is read (behind a burst of /v1/match on PGlite's one connection). */
const STALE_MS = 30_000;
const probes = new WeakMap<Deps["db"], Probe>();

function refresh(deps: Deps, probe: Probe): Promise<Snapshot> {
  probe.refreshing ??= (async () => {
    try {
      const embedder = await queryEmbedder(deps);
      probe.snapshot = { database: deps.db.kind, embeddingModel: embedder.modelName, ...(await libraryCounts(deps.db)) };
      probe.at = Date.now();
      probe.failed = false;
      return probe.snapshot;
    } catch (err) {
      probe.failed = true;
      throw err;
    }
  })().finally(() => (probe.refreshing = undefined));
  return probe.refreshing;
}

/**
 * A liveness probe must not queue behind heavy queries: it answers at once from the database's last
 * answer while that is under 30 s old, and asks the database again in the background once it is over
 * a second old. A database that failed its last read, or has not answered for longer, is waited for
 * (and its failure is the probe's), so a dead database fails the probe within about a second.
 */
async function snapshot(deps: Deps): Promise<Snapshot> {
  let probe = probes.get(deps.db);
  if (!probe) probes.set(deps.db, (probe = { at: 0 }));
  const age = Date.now() - probe.at;
  if (probe.snapshot && age < FRESH_MS) return probe.snapshot;
  const fresh = refresh(deps, probe);
  if (!probe.snapshot || probe.failed || age >= STALE_MS) return fresh;
  fresh.catch(() => undefined);
  return probe.snapshot;
}

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, async (c) => {
  return c.json({ status: "ok" as const, ...(await snapshot(c.get("deps"))) }, 200);
});
