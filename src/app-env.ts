import type { Caller } from "./access/middleware.js";
import type { Deps } from "./deps.js";

export type AppEnv = { Variables: { deps: Deps; requestId: string; caller: Caller } };
