/**
 * A policy's structure beside its conditions: when to apply and what it pays, read once at ingest
 * from the whole text and stored with the policy, so a card and an answer state them as data.
 */
import { z } from "zod";
import { PROBE, rulesFingerprint } from "./conditions/fingerprint.js";
import { CRITERIA_RULES } from "./criteria.js";
import { readSupportRules, SUPPORT_PATTERNS } from "./support.js";
import { readWindow, WINDOW_PATTERNS } from "./window.js";

export const ApplicationWindowSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("dates"), start: z.string().nullable(), end: z.string().nullable() }),
    z.object({ kind: z.literal("annual"), months: z.array(z.number().int().min(1).max(12)).describe("The months a yearly round takes applications in") }),
    z.object({ kind: z.literal("rolling").describe("常年受理: any time") }),
    z.object({ kind: z.literal("notice").describe("The text leaves the time to a later 申报通知 or 指南") }),
    z.object({ kind: z.literal("none").describe("The text says nothing of when to apply") }),
  ])
  .describe("When a company applies, as the text states it");

const sentence = z.string().describe("The sentence the rule was read from");
export const SupportRuleSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("fixed").describe("A sum (一次性奖励50万元; 最高500万元)"), amount: z.number().describe("万元"), upTo: z.boolean().describe("最高/不超过: a ceiling, not a set sum"), text: sentence }),
    z.object({ kind: z.literal("rate").describe("A share of a base (按投资额的20%)"), rate: z.number().describe("The share of the base, as a fraction"), base: z.string().describe("The base, in the policy's words"), cap: z.number().nullable().describe("万元"), text: sentence }),
    z.object({ kind: z.literal("tiered").describe("Sums by grade (分别给予100万元、50万元)"), amounts: z.array(z.number()).describe("万元 by grade, in the text's order"), text: sentence }),
    z.object({ kind: z.literal("perItem").describe("A sum per unit counted (每项10万元)"), per: z.number().describe("万元 per unit"), unit: z.string().describe("What is counted (项, 人, 吨)"), cap: z.number().nullable().describe("万元"), text: sentence }),
  ])
  .describe("One support rule as written: a sum, a rate of a base with its cap, sums by grade, or a sum per unit counted")
  .meta({ id: "SupportRule", example: { kind: "rate", rate: 0.2, base: "设备投资额", cap: 1000, text: "按照设备投资额的20%予以补贴，单个项目最高不超过1000万元。" } });

export const PolicyStructureSchema = z.object({ window: ApplicationWindowSchema, support: z.array(SupportRuleSchema) });
export type PolicyStructure = z.infer<typeof PolicyStructureSchema>;

/** The structure a policy's text states. */
export function readStructure(text: string): PolicyStructure {
  return { window: readWindow(text), support: readSupportRules(text) };
}

/**
 * What stored criteria and structure were read by: a change to either reader's code or patterns re-derives both
 * at the next ingest, as CRITERIA_RULES alone did for the criteria.
 */
export const READING_RULES = rulesFingerprint([CRITERIA_RULES, readStructure, readWindow, readSupportRules, ...WINDOW_PATTERNS, ...SUPPORT_PATTERNS, JSON.stringify(readStructure(PROBE))]);
