/**
 * How well the rules read a policy's application window and its support rules, against a gold table written
 * by reading the documents (`data/gold/policy-structure.jsonl`): the window's kind (and its months or dates),
 * and the support rules matched one to one by kind and figure, as precision, recall and F1.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { loadDocument, splitFrontMatter } from "../ingest/loaders.js";
import { readSupportRules, type SupportRule } from "../policies/support.js";
import { type ApplicationWindow, ApplicationWindowSchema, readWindow } from "../policies/window.js";
import { PARTS, type Part, partOf } from "./split.js";

/**
 * A rule of the gold table, in the file's own field names (amountWan, capWan…), read into the shape the reader
 * gives, so one comparison serves both. Its evidence stands for the sentence.
 */
const evidence = z.string().default("");
const GoldRule = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("fixed"), amountWan: z.number(), upTo: z.boolean(), evidence }),
    z.object({ kind: z.literal("rate"), rate: z.number(), base: z.string(), capWan: z.number().nullable(), evidence }),
    z.object({ kind: z.literal("tiered"), amountsWan: z.array(z.number()).min(1), evidence }),
    z.object({ kind: z.literal("perItem"), perWan: z.number(), unit: z.string(), capWan: z.number().nullable(), evidence }),
  ])
  .transform((g): SupportRule => {
    switch (g.kind) {
      case "fixed":
        return { kind: "fixed", amount: g.amountWan, upTo: g.upTo, text: g.evidence };
      case "rate":
        return { kind: "rate", rate: g.rate, base: g.base, cap: g.capWan, text: g.evidence };
      case "tiered":
        return { kind: "tiered", amounts: g.amountsWan, text: g.evidence };
      case "perItem":
        return { kind: "perItem", per: g.perWan, unit: g.unit, cap: g.capWan, text: g.evidence };
    }
  });
export const GoldStructureSchema = z.object({ id: z.string(), window: ApplicationWindowSchema, support: z.array(GoldRule) });
export type GoldStructure = z.infer<typeof GoldStructureSchema>;

export type StructureFigures = {
  documents: number;
  /** The window's kind right. */
  windowKind: number;
  /** Kind and its months or dates right. */
  window: number;
  rules: { gold: number; read: number; matched: number; precision: number; recall: number; f1: number };
  /** Of the matched rate and per-item rules, those whose cap is right too. */
  capRight: number;
};
export type StructureReport = StructureFigures & {
  split: Record<Part, StructureFigures>;
  misses: Array<{ id: string; window?: { expected: string; got: string }; missing: string[]; extra: string[] }>;
};

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** The one figure that names a rule: its sum, its rate, its grades or its sum per unit. */
function sameRule(gold: SupportRule, read: SupportRule): boolean {
  if (gold.kind === "fixed" && read.kind === "fixed") return near(gold.amount, read.amount);
  if (gold.kind === "rate" && read.kind === "rate") return near(gold.rate, read.rate);
  if (gold.kind === "perItem" && read.kind === "perItem") return near(gold.per, read.per);
  if (gold.kind === "tiered" && read.kind === "tiered")
    return gold.amounts.length === read.amounts.length && gold.amounts.every((a, i) => near(a, read.amounts[i]));
  return false;
}
/** A rate's or a sum per unit's cap; undefined for rules that have none to state. */
const capOf = (r: SupportRule): number | null | undefined => (r.kind === "rate" || r.kind === "perItem" ? r.cap : undefined);

export const describeRule = (r: SupportRule): string => {
  switch (r.kind) {
    case "fixed":
      return `fixed ${r.amount}`;
    case "rate":
      return `rate ${r.rate}${r.cap ? ` cap ${r.cap}` : ""}`;
    case "tiered":
      return `tiered ${r.amounts.join("/")}`;
    case "perItem":
      return `perItem ${r.per}${r.cap ? ` cap ${r.cap}` : ""}`;
  }
};
const describeWindow = (w: ApplicationWindow) =>
  w.kind === "annual" ? `annual ${w.months.join(",")}` : w.kind === "dates" ? `dates ${w.start ?? "–"}..${w.end ?? "–"}` : w.kind;

function sameWindow(gold: ApplicationWindow, read: ApplicationWindow): boolean {
  if (gold.kind === "annual" && read.kind === "annual") return gold.months.join() === read.months.join();
  if (gold.kind === "dates" && read.kind === "dates") return gold.start === read.start && gold.end === read.end;
  return gold.kind === read.kind;
}

const empty = (): StructureFigures => ({
  documents: 0,
  windowKind: 0,
  window: 0,
  rules: { gold: 0, read: 0, matched: 0, precision: 0, recall: 0, f1: 0 },
  capRight: 0,
});

export async function evaluateStructure(corpus: string, gold: GoldStructure[]): Promise<StructureReport> {
  const all = empty();
  const split = { tune: empty(), check: empty() } as Record<Part, StructureFigures>;
  const misses: StructureReport["misses"] = [];
  for (const row of gold) {
    const { body } = splitFrontMatter(await readFile(join(corpus, `${row.id}.md`), "utf8"));
    const doc = await loadDocument(`${row.id}.md`, new TextEncoder().encode(body));
    const window = readWindow(doc.text);
    const rules = readSupportRules(doc.text);
    // One to one: each gold rule takes the first unmatched rule read with its kind and figure.
    const free = [...rules];
    const missing: string[] = [];
    let matched = 0;
    let caps = 0;
    for (const g of row.support) {
      const i = free.findIndex((r) => sameRule(g, r));
      if (i < 0) {
        missing.push(describeRule(g));
        continue;
      }
      matched++;
      const [r] = free.splice(i, 1);
      if (capOf(g) !== undefined && (capOf(g) ?? null) === (capOf(r) ?? null)) caps++;
    }
    for (const f of [all, split[partOf(row.id)]]) {
      f.documents++;
      if (window.kind === row.window.kind) f.windowKind++;
      if (sameWindow(row.window, window)) f.window++;
      f.rules.gold += row.support.length;
      f.rules.read += rules.length;
      f.rules.matched += matched;
      f.capRight += caps;
    }
    const windowMiss = sameWindow(row.window, window) ? {} : { window: { expected: describeWindow(row.window), got: describeWindow(window) } };
    if (missing.length || free.length || windowMiss.window) misses.push({ id: row.id, ...windowMiss, missing, extra: free.map(describeRule) });
  }
  for (const f of [all, ...PARTS.map((p) => split[p])]) {
    const { gold: g, read, matched } = f.rules;
    f.rules.precision = read ? matched / read : 0;
    f.rules.recall = g ? matched / g : 0;
    f.rules.f1 = f.rules.precision + f.rules.recall ? (2 * f.rules.precision * f.rules.recall) / (f.rules.precision + f.rules.recall) : 0;
  }
  return { ...all, split, misses };
}
