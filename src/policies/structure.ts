/**
 * A policy's structure beside its conditions: when to apply and what it pays, read once at ingest
 * from the whole text and stored with the policy, so a card and an answer state them as data.
 */
import { z } from "zod";
import { PROBE, rulesFingerprint } from "./conditions/fingerprint.js";
import { CRITERIA_RULES } from "./criteria.js";
import { readSupportRules, SUPPORT_PATTERNS, SupportRuleSchema } from "./support.js";
import { ApplicationWindowSchema, readWindow, WINDOW_PATTERNS } from "./window.js";

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
export const READING_RULES = rulesFingerprint([
  CRITERIA_RULES,
  readStructure,
  readWindow,
  readSupportRules,
  ...WINDOW_PATTERNS,
  ...SUPPORT_PATTERNS,
  JSON.stringify(readStructure(PROBE)),
]);
