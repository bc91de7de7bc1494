import type { Caller } from "./access/api-key.js";
import type { Deps } from "./deps.js";
import type { AppError } from "./lib/errors.js";

export type AppEnv = { Variables: { deps: Deps; requestId: string; caller: Caller; authFailure: AppError } };
