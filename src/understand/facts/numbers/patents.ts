/**
 * Invention patents and all IP items: 「拥有发明专利7项」「3件发明专利，8个软著」
 * 「知识产权30多项」「5 invention patents and 9 software copyrights」. ipCount is
 * the stated 知识产权 total, or else the items counted (patents, 软著, 布图设计)
 * when something besides invention patents is named. Trademarks are not counted:
 * policies (高企 above all) count patents, software copyrights and layouts.
 * Patents still being examined (申请中, 受理) are not held yet.
 */

import type { FactContext, FactReader, Finding } from "../reader.js";
import { type Amount, findAmounts } from "./amount.js";
import { isOurs } from "./ours.js";

type Kind = "invention" | "utility" | "design" | "software" | "layout" | "patent" | "ip" | "other";
const TERMS: Array<[Kind, string]> = [
  ["invention", String.raw`发明专利|invention patents?`],
  ["utility", String.raw`实用新型(?:专利)?|utility[- ]model(?: patents?)?`],
  ["design", String.raw`外观设计(?:专利)?|外观专利|design patents?`],
  ["software", String.raw`软件著作权|软件版权|软著|著作权|software copyrights?`],
  ["layout", String.raw`集成电路布图设计|布图设计`],
  ["ip", String.raw`知识产权|intellectual property(?: rights)?|IP rights?`],
  ["other", String.raw`商标|论文|标准|trademarks?`],
  ["patent", String.raw`专利|patents?`],
];
const TERM_RE = new RegExp(TERMS.map(([, re]) => `(${re})`).join("|"), "giu");
const GAP_AFTER = /^(?:\s|[:：]|有|拥有|共有|共|一共|累计|已经|已|获得了|获得|获授权|授权了|授权|达到|达|是|为|约|大概|大约|了|个数|数量|数)*$/;
const GAP_BEFORE = /^(?:\s|已授权的?|授权的?|有效的?|获得的?|的)*$/;
const GRANTED = /^\s*(?:其中|目前|现在)?\s*(?:已经|已)?\s*(?:获得)?授权(?:了)?\s*$/;
const PENDING = /申请中|在申请|正在申请|申请了|已申请|受理|在审|实审|审查中|待授权|提交了|pending|filed/i;

export type IpItem = { kind: Kind; amount: Amount; start: number; end: number };

/** The counted IP items in the text, each with the number stated for it. */
export function ipItems(ctx: FactContext): IpItem[] {
  const amounts = findAmounts(ctx.text).filter((a) => (a.kind === "count" && /^(?:项|件|个|篇)$/.test(a.unit ?? "")) || a.kind === "bare");
  const out: IpItem[] = [];
  for (const m of ctx.text.matchAll(TERM_RE)) {
    const kind = TERMS[m.slice(1).findIndex((g) => g !== undefined)][0];
    const start = m.index!;
    const end = start + m[0].length;
    const clause = ctx.clauseAt(start);
    const after = amounts.find((a) => a.start >= end && a.start < clause.end && GAP_AFTER.test(ctx.text.slice(end, a.start)));
    const before = [...amounts]
      .reverse()
      .find((a) => a.end <= start && a.start >= clause.start && a.kind === "count" && GAP_BEFORE.test(ctx.text.slice(a.end, start)));
    const bareBefore = [...amounts]
      .reverse()
      .find((a) => a.end <= start && a.start >= clause.start && a.kind === "bare" && /^\s+$/.test(ctx.text.slice(a.end, start)));
    const amount = before ?? bareBefore ?? after;
    if (!amount || !isOurs(ctx, amount) || !Number.isInteger(amount.value)) continue;
    if (PENDING.test(clause.text) && !/已授权|获授权|授权了/.test(clause.text)) continue;
    out.push({ kind, amount, start: Math.min(start, amount.start), end: Math.max(end, amount.end) });
  }
  // 「申请了10项发明专利，已经授权3项」: the granted count of the kind just named.
  for (const a of amounts) {
    const clause = ctx.clauseAt(a.start);
    const i = ctx.clauses.findIndex((c) => c.start === clause.start);
    if (i <= 0 || a.kind !== "count" || !GRANTED.test(ctx.text.slice(clause.start, a.start)) || new RegExp(TERM_RE.source, "iu").test(clause.text)) continue;
    const named = [...ctx.clauses[i - 1].text.matchAll(TERM_RE)].pop();
    if (!named || !isOurs(ctx, a)) continue;
    out.push({ kind: TERMS[named.slice(1).findIndex((g) => g !== undefined)][0], amount: a, start: clause.start, end: a.end });
  }
  return out;
}

export const patentsReader: FactReader = {
  name: "patents",
  read(ctx) {
    const items = ipItems(ctx);
    const first = (kind: Kind) => items.find((i) => i.kind === kind);
    const out: Finding[] = [];
    const finding = (field: "inventionPatents" | "ipCount", value: number, from: IpItem[]): Finding => ({
      field,
      value,
      start: Math.min(...from.map((i) => i.start)),
      end: Math.max(...from.map((i) => i.end)),
      reader: "patents",
      ...(from.some((i) => i.amount.approx) ? { approx: true } : {}),
    });
    const invention = first("invention");
    if (invention) out.push(finding("inventionPatents", invention.amount.value, [invention]));
    const total = first("ip");
    if (total) out.push(finding("ipCount", total.amount.value, [total]));
    else {
      // 「专利20件，其中发明专利5件」: a patent total already holds the invention patents.
      const patent = first("patent");
      const parts = (patent ? [patent] : (["invention", "utility", "design"] as Kind[]).map(first))
        .concat((["software", "layout"] as Kind[]).map(first))
        .filter((i): i is IpItem => !!i);
      if (parts.some((p) => p.kind !== "invention"))
        out.push(
          finding(
            "ipCount",
            parts.reduce((s, p) => s + p.amount.value, 0),
            parts,
          ),
        );
    }
    return out;
  },
};
