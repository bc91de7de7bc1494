import { type ChildProcess, spawn } from "node:child_process";

const ROOT = new URL("../../", import.meta.url).pathname;

const LOG_TAIL_CHARS = 64 * 1024;

export type ServerProcess = { child: ChildProcess; url: string; log: () => string; stop: () => Promise<void> };

/**
 * Starts `node src/node.ts` as its own process (with WEB_CONCURRENCY workers
 * when asked) and resolves once `listeners` processes listen. Only PATH and
 * HOME are inherited: the run's configuration is exactly `env`.
 */
export function startServerProcess(env: Record<string, string>, listeners = 1, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/node.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", HOST: "127.0.0.1", PORT: "0", INGEST_ON_START: "false", ...env },
  });
  // What the server logged until it listened, then only the latest lines: a loaded server logs a line per
  // request (13 MB in a bench run), and keeping and rescanning it all took the load generator's CPU.
  let startup = "";
  let tail = "";
  let up = false;
  const log = () => startup + tail;
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`server did not start:\n${log()}`))), timeoutMs);
    child.stderr!.on("data", (d) => {
      if (up) {
        tail = (tail + d).slice(-LOG_TAIL_CHARS);
        return;
      }
      startup += d;
      const seen = [...startup.matchAll(/listening on (http:\/\/127\.0\.0\.1:\d+)/g)];
      if (seen.length >= listeners) {
        up = true;
        clearTimeout(timer);
        resolve({ child, url: seen[0][1], log, stop });
      }
    });
    child.on("exit", (code) => (clearTimeout(timer), reject(new Error(`server exited with ${code}:\n${log()}`))));
  });
}
