import { findQuantities, type Quantity } from "../quantity.js";

/** What a reader needs of the policy: its own place, and the place «本市» and a widened zone stand for. */
export type ReadContext = { policyRegionPath: string[]; regionHint: string[] };

/**
 * One clause as the readers see it. `text`: without whitespace; `unbracketed`:
 * without its bracketed asides; `depthAt`: the bracket depth of each UTF-16 unit.
 * Checks read from numbers record where (`at`), so that they keep the numbers' order.
 */
export type Clause = {
  text: string;
  unbracketed: string;
  quantities: Quantity[];
  depthAt: number[];
  at: Map<object, number>;
};

export const OPEN = "（(《“「【";
export const CLOSE = "）)》”」】";

export function readClause(text: string): Clause {
  const c = text.replace(/\s+/g, "");
  return { text: c, unbracketed: c.replace(/[（(][^）)]*[）)]/g, ""), quantities: findQuantities(c), depthAt: bracketDepths(c), at: new Map() };
}

export const isPersonAge = (q: Quantity) => q.dimension === "years" && (q.unit === "周岁" || q.unit === "岁");

/**
 * A comparison that is a condition of its own: a number in brackets qualifies
 * another one («（超过100人的企业达到5%）»), and a person's age is read apart.
 */
export const isFigure = (clause: Clause, q: Quantity) => !!q.op && !(clause.depthAt[q.start] > 0) && !isPersonAge(q);

function bracketDepths(text: string): number[] {
  const depths: number[] = [];
  let depth = 0;
  for (const ch of text) {
    if (OPEN.includes(ch)) depth++;
    for (let i = 0; i < ch.length; i++) depths.push(depth);
    if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
  }
  return depths;
}
