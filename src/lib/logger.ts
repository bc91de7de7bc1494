import { type Logger as Pino, pino } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type Logger = Record<Exclude<LogLevel, "silent">, (msg: string, fields?: Record<string, unknown>) => void> & {
  /** The same logger with fields added to every line (a request's id, say). */
  child(fields: Record<string, unknown>): Logger;
};

/**
 * JSON lines on stderr through pino. Keys and secrets never reach a line,
 * whatever a caller passes in.
 */
export function createLogger(level: LogLevel = "info", destination: NodeJS.WritableStream | number = 2): Logger {
  const base = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ["authorization", "apiKey", "secret", "*.authorization", "*.apiKey", "*.secret", "headers.authorization", 'headers["x-api-key"]'],
        censor: "[redacted]",
      },
    },
    typeof destination === "number" ? pino.destination({ dest: destination, sync: true }) : destination,
  );
  return wrap(base);
}

function wrap(p: Pino): Logger {
  const at = (lvl: "debug" | "info" | "warn" | "error") => (msg: string, fields?: Record<string, unknown>) => (fields ? p[lvl](fields, msg) : p[lvl](msg));
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (fields) => wrap(p.child(fields)) };
}
