import type { Db } from "../../src/db/index.js";
import { createDeps, type Deps } from "../../src/deps.js";
import { parseEnv } from "../../src/env.js";
import { createLogger } from "../../src/lib/logger.js";
import { createAnalyzer } from "../../src/retrieval/analyzer-node.js";

export const analyzer = createAnalyzer();
export const FIXED_TODAY = new Date("2026-11-23T08:00:00Z");

export function testDeps(db: Db, env: Record<string, string> = {}): Promise<Deps> {
  // Answers are not cached unless a test asks for it: tests re-index and ask again at once.
  return createDeps(parseEnv({ DATA_DIR: "memory://", LOG_LEVEL: "silent", RESPONSE_CACHE_SIZE: "0", ...env }), {
    db,
    analyzer,
    logger: createLogger("silent"),
    clock: { now: () => FIXED_TODAY },
  });
}
