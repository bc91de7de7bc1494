import type { Deps } from "./deps.js";

export type AppEnv = { Variables: { deps: Deps; requestId: string } };
