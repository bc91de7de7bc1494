import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.js";

/**
 * Route middleware after the answer cache: a request that must compose its answer waits for one of the
 * process's answer slots (ANSWER_CONCURRENCY), so the server's thread composes a few at a time and a
 * cached answer or a liveness probe is not queued behind all of them. A stream holds its slot until its
 * response starts, not while it streams.
 */
export function answerSlot(): MiddlewareHandler<AppEnv> {
  return (c, next) => c.get("deps").answerSlots.run(() => next());
}
