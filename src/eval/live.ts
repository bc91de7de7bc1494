/**
 * Facts and answers are judged as the project is judged: the real server
 * (`npm start`'s entry, src/node.ts) on a scratch embedded database with the
 * corpus as its library, and the two shared scorers run against it over HTTP.
 * Their rules live only in those scorers; this file starts, waits, runs and
 * reads their JSON.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as OpenCC from "opencc-js/t2cn";
import { PARTS, type Part, partOf, splitByPart } from "./split.js";

const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });

const ROOT = resolve(import.meta.dirname, "../..");

export type LiveServer = { base: string; stop: () => Promise<void>; log: () => string };

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts the server as `npm start` does (tsx src/node.ts) with the corpus as
 * its library, indexed at start into a scratch folder, and waits until
 * GET /health answers (the library is indexed before the server listens).
 */
export async function startServer(corpus: string, options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<LiveServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "policy-match-eval-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The embedded database, whatever the caller's shell points at.
  delete env.DATABASE_URL;
  delete env.WEB_CONCURRENCY;
  Object.assign(env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: join(dataDir, "pglite"),
    DEMO_DATA_DIR: resolve(corpus),
    INGEST_ON_START: "true",
    ADMIN_INGEST_ROOTS: resolve(corpus),
    UPLOAD_DIR: join(dataDir, "uploads"),
    LOG_LEVEL: "warn",
  });
  const child: ChildProcess = spawn(join(ROOT, "node_modules/.bin/tsx"), ["src/node.ts"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (b: Buffer) => {
    output = (output + b.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((done) => child.once("exit", (code) => ((exited = code), done())));

  // The server runs in its own process group: if the eval dies first, the group goes with it.
  const killGroup = () => {
    try {
      if (exited === undefined && child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.once("exit", killGroup);
  const stop = async () => {
    process.off("exit", killGroup);
    if (exited === undefined && child.pid) {
      killGroup();
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 10_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  options.log?.(`starting the server (tsx src/node.ts) on ${base}, indexing ${corpus} …`);
  while (true) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`the server exited (code ${exited}) before it was ready:\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within ${(options.timeoutMs ?? 600_000) / 1000} s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { base, stop, log: () => output };
}

/** Runs one shared scorer (`check-facts.mjs`, `check-answers.mjs`) against the server; returns its JSON and printed lines. */
export async function runScorer(script: string, base: string, cases: string): Promise<{ json: ScorerOutput; printed: string }> {
  const dir = await mkdtemp(join(tmpdir(), "policy-match-scorer-"));
  const out = join(dir, "out.json");
  try {
    const printed = await new Promise<string>((ok, fail) => {
      const child = spawn(process.execPath, [script, "--base", base, "--cases", cases, "--json", out], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b) => (stdout += b));
      child.stderr.on("data", (b) => (stderr += b));
      child.once("error", fail);
      child.once("exit", (code) => (code === 0 ? ok(stdout.trim()) : fail(new Error(`${script} exited with ${code}: ${stderr.slice(-2000)}`))));
    });
    return { json: JSON.parse(await readFile(out, "utf8")) as ScorerOutput, printed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type ScorerOutput = { summary: Record<string, unknown>; cases: Array<Record<string, unknown>> };

export type FactsSummary = { cases: number; errors: number; precision: number; recall: number; f1: number; exactCases: number; industryRecall: number };
export type FieldErrors = Record<string, { missing: number; wrong: number; extra: number }>;
export type FactsReport = FactsSummary & {
  /** The scorer's misses, counted by the field it names. */
  byField: FieldErrors;
  split: Record<Part, FactsSummary>;
  /** Cases read exactly, by the trap a case sets (a later turn, a negation, an estimate, nothing to read, traditional script), per part. */
  byTrap: Record<string, Record<"all" | Part, { cases: number; exact: number }>>;
  misses: Array<{ id: string; wrong: string[]; missing: string[]; extra: string[]; error?: string }>;
  printed: string;
};

type FactCaseShape = { id: string; utterance?: string; previous?: object; expected?: object; negated?: unknown[]; approx?: unknown[] };

/** The traps a fact case sets, read from its structure, never from its words. */
export function trapsOf(c: FactCaseShape): string[] {
  const traps: string[] = [];
  if (c.previous && Object.keys(c.previous).length) traps.push("later turn");
  if (c.negated?.length) traps.push("negation");
  if (c.approx?.length) traps.push("estimate");
  if (!c.expected || Object.keys(c.expected).length === 0) traps.push("nothing to read");
  if (c.utterance && toSimplified(c.utterance) !== c.utterance) traps.push("traditional script");
  return traps.length ? traps : ["plain"];
}

export type AnswersSummary = {
  cases: number;
  errors: number;
  about: number;
  stated: number;
  upfront: number;
  pass: number;
  byIntent: Record<string, { cases: number; pass: number }>;
};
export type AnswersReport = AnswersSummary & {
  split: Record<Part, AnswersSummary>;
  misses: Array<{ id: string; intent?: string; about?: boolean; stated?: boolean; upfront?: boolean; error?: string }>;
  printed: string;
};

/** The part's cases written to a file of their own, so that the scorer prints that part's figures. */
async function writePart(file: string, dir: string, part: Part): Promise<{ path: string; count: number }> {
  const lines = (await readFile(file, "utf8")).split(/\r?\n/).filter((l) => l.trim());
  const parts = splitByPart(lines.map((line) => ({ id: String(JSON.parse(line).id), line })));
  const path = join(dir, `${part}.jsonl`);
  await writeFile(path, parts[part].map((p) => p.line).join("\n") + "\n");
  return { path, count: parts[part].length };
}

const fieldOf = (item: string) => (item.startsWith("holds negated ") ? "qualifications (negated)" : item.split(/[:=]/)[0].replace(/^qual$/, "qualifications"));

/** check-facts.mjs on the whole file and on each part (its figures are ratios of counts it keeps to itself). */
export async function scoreFacts(script: string, base: string, file: string): Promise<FactsReport> {
  const dir = await mkdtemp(join(tmpdir(), "policy-match-facts-"));
  try {
    const all = await runScorer(script, base, file);
    const split = {} as Record<Part, FactsSummary>;
    for (const part of PARTS) {
      const { path, count } = await writePart(file, dir, part);
      split[part] = count ? ((await runScorer(script, base, path)).json.summary as FactsSummary) : emptyFacts();
    }
    const byField: FieldErrors = {};
    const bump = (item: string, kind: "missing" | "wrong" | "extra") => ((byField[fieldOf(item)] ??= { missing: 0, wrong: 0, extra: 0 })[kind] += 1);
    const misses: FactsReport["misses"] = [];
    for (const c of all.json.cases as Array<{ id: string; ok?: boolean; wrong?: string[]; missing?: string[]; extra?: string[]; error?: string }>) {
      for (const w of c.wrong ?? []) bump(w, "wrong");
      for (const m of c.missing ?? []) bump(m, "missing");
      for (const e of c.extra ?? []) bump(e, "extra");
      if (!c.ok) misses.push({ id: c.id, wrong: c.wrong ?? [], missing: c.missing ?? [], extra: c.extra ?? [], error: c.error });
    }
    const shapes = new Map(
      (await readFile(file, "utf8"))
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as FactCaseShape)
        .map((c) => [c.id, c] as const),
    );
    const byTrap: FactsReport["byTrap"] = {};
    for (const c of all.json.cases as Array<{ id: string; ok?: boolean }>) {
      const shape = shapes.get(c.id);
      if (!shape) continue;
      for (const trap of trapsOf(shape)) {
        const row = (byTrap[trap] ??= { all: { cases: 0, exact: 0 }, tune: { cases: 0, exact: 0 }, check: { cases: 0, exact: 0 } });
        for (const k of ["all", partOf(c.id)] as const) {
          row[k].cases++;
          if (c.ok) row[k].exact++;
        }
      }
    }
    return { ...(all.json.summary as FactsSummary), byField, byTrap, split, misses, printed: all.printed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const emptyFacts = (): FactsSummary => ({ cases: 0, errors: 0, precision: 0, recall: 0, f1: 0, exactCases: 0, industryRecall: 0 });
const emptyAnswers = (): AnswersSummary => ({ cases: 0, errors: 0, about: 0, stated: 0, upfront: 0, pass: 0, byIntent: {} });

/**
 * check-answers.mjs on each part; the whole set's shares are the parts'
 * counts added up (every share is a count over the part's cases).
 */
export async function scoreAnswers(script: string, base: string, file: string): Promise<AnswersReport> {
  const dir = await mkdtemp(join(tmpdir(), "policy-match-answers-"));
  try {
    const split = {} as Record<Part, AnswersSummary>;
    const printed: string[] = [];
    const misses: AnswersReport["misses"] = [];
    for (const part of PARTS) {
      const { path, count } = await writePart(file, dir, part);
      if (!count) {
        split[part] = emptyAnswers();
        continue;
      }
      const run = await runScorer(script, base, path);
      split[part] = run.json.summary as AnswersSummary;
      printed.push(`${part}: ${run.printed}`);
      for (const c of run.json.cases as Array<{ id: string; intent?: string; about?: boolean; stated?: boolean; upfront?: boolean; error?: string }>) {
        if (c.error || !(c.about && c.stated && c.upfront))
          misses.push({ id: c.id, intent: c.intent, about: c.about, stated: c.stated, upfront: c.upfront, error: c.error });
      }
    }
    const n = split.tune.cases + split.check.cases;
    const count = (k: "about" | "stated" | "upfront" | "pass") => PARTS.reduce((s, p) => s + Math.round(split[p][k] * split[p].cases), 0);
    const share = (k: "about" | "stated" | "upfront" | "pass") => (n ? count(k) / n : 0);
    const byIntent: AnswersSummary["byIntent"] = {};
    for (const part of PARTS) {
      for (const [intent, v] of Object.entries(split[part].byIntent)) {
        const b = (byIntent[intent] ??= { cases: 0, pass: 0 });
        b.cases += v.cases;
        b.pass += v.pass;
      }
    }
    return {
      cases: n,
      errors: split.tune.errors + split.check.errors,
      about: share("about"),
      stated: share("stated"),
      upfront: share("upfront"),
      pass: share("pass"),
      byIntent,
      split,
      misses,
      printed: printed.join("\n"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
