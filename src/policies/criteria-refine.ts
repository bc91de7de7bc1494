import { z } from "zod";
import type { ChatClient } from "../llm/chat-model.js";
import { verifyCheck } from "./conditions/index.js";
import { type Check, CheckSchema, type Criterion, type PolicyCriteria } from "./criteria.js";

const ProposalSchema = z.object({
  criteria: z.array(z.object({ id: z.string(), checks: z.array(z.record(z.string(), z.unknown())).min(1) })),
});

export type Refinement = { criteria: PolicyCriteria; proposed: number; accepted: number };

/**
 * Asks the chat model to structure the conditions the rules left as free
 * text. Nothing it says is taken on trust: a proposal must parse as a check,
 * and its number, qualification or field must be found in the condition's
 * own words by the same offline readers the rules use; otherwise the
 * criterion stays as the rules left it.
 */
export async function refineCriteria(chat: ChatClient, criteria: PolicyCriteria, title: string, signal: AbortSignal): Promise<Refinement> {
  const all = [...criteria.common, ...criteria.programmes.flatMap((p) => p.criteria)];
  const open = all.filter((c) => !c.soft && !c.disqualifier && c.checks.every((k) => k.type === "text"));
  if (open.length === 0) return { criteria, proposed: 0, accepted: 0 };
  const structured = chat.model.withStructuredOutput(ProposalSchema, { method: chat.structuredMethod, name: "structured_criteria" });
  const raw = await chat.prompts.criteria.template
    .pipe(structured)
    .invoke({ title: title.replace(/[<>]/g, ""), criteria: open.map((c) => `${c.id}：${c.text.replace(/[<>]/g, "")}`).join("\n") }, { signal });
  const proposal = ProposalSchema.safeParse(raw);
  if (!proposal.success) return { criteria, proposed: 0, accepted: 0 };
  const accepted = new Map<string, Check[]>();
  for (const p of proposal.data.criteria) {
    const target = open.find((c) => c.id === p.id);
    if (!target || accepted.has(p.id)) continue;
    const checks = p.checks.map((k) => CheckSchema.safeParse(k)).map((r) => (r.success ? asFraction(r.data) : undefined));
    if (checks.every((c) => c && supported(c, target.text))) accepted.set(p.id, checks as Check[]);
  }
  const apply = (c: Criterion): Criterion => (accepted.has(c.id) ? { ...c, checks: accepted.get(c.id)!, mode: "all", source: "llm" } : c);
  return {
    criteria: { common: criteria.common.map(apply), programmes: criteria.programmes.map((p) => ({ ...p, criteria: p.criteria.map(apply) })) },
    proposed: proposal.data.criteria.length,
    accepted: accepted.size,
  };
}

/** Ratios are kept as fractions (3% → 0.03); a model may well write 3. */
function asFraction(check: Check): Check {
  return check.type === "threshold" && check.dimension === "ratio" && check.value > 1 ? { ...check, value: check.value / 100 } : check;
}

/**
 * Is the check stated by the condition's own words? Each kind says (its
 * `verify`); places, applicant kinds, people's ages and compound checks stay
 * with the rules.
 */
export const supported = verifyCheck;
