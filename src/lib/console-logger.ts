import type { Logger, LogLevel } from "./logger.js";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const SECRET_KEYS = new Set(["authorization", "apikey", "secret", "x-api-key"]);

/** Secrets never reach a line, however deep a caller nests them. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k.toLowerCase()) ? "[redacted]" : redact(v, depth + 1)]));
}

/**
 * JSON lines through console (Workers' log stream), the same shape as the
 * Node logger's: level, time, msg and the fields.
 */
export function createConsoleLogger(level: LogLevel = "info", bound: Record<string, unknown> = {}): Logger {
  const at = (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const line = JSON.stringify({ level: lvl, time: new Date().toISOString(), ...(redact({ ...bound, ...fields }) as object), msg });
    (lvl === "error" ? console.error : lvl === "warn" ? console.warn : console.log)(line);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (fields) => createConsoleLogger(level, { ...bound, ...fields }) };
}
