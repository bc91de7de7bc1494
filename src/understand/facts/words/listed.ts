/**
 * Whether the company is listed (a stock exchange or 新三板): 「没上市」, 「还未挂牌」,
 * 「Not listed」 → false; 「已在科创板上市」, 「我们是创业板上市公司」, 「今年9月在北交所上市了」 →
 * true. Plans (准备明年上市, 冲刺IPO) and questions (上市公司能申请吗) say nothing.
 */
import type { FactReader, Finding } from "../reader.js";
import { asks, INTENT, ours, SELF } from "./cues.js";

const NOT =
  /(?:没有?|未|尚未|还没有?|还未|暂未|不是|并非|非)(?:在[^，。；]{0,8})?(?:上市|挂牌)|\bnot\s+(?:yet\s+)?(?:listed|public)\b|\bunlisted\b|\bprivately\s+held\b/gi;
const YES =
  /(?:已经?|刚刚?)(?:在[^，。；]{0,8})?(?:上市|挂牌)|(?:科创板|创业板|主板|北交所|港股|港交所|美股|纳斯达克|纽交所|新三板|深交所|上交所|A股)[^，。；]{0,4}?(?:上市|挂牌)|(?:上市|挂牌)(?:公司|企业)|在[^，。；]{1,8}(?:上市|挂牌)了|\blisted\s+on\b|\bis\s+listed\b|\bare\s+listed\b/gi;

export const listedReader: FactReader = {
  name: "listed",
  read(ctx) {
    const out: Finding[] = [];
    for (const m of ctx.text.matchAll(NOT)) {
      const start = m.index!;
      if (!ours(ctx, start)) continue;
      const clause = ctx.clauseAt(start);
      // 「还没上市的企业能申请吗」 asks about unlisted companies.
      if (/如果|假如/.test(clause.text) || (asks(ctx, clause) && !SELF.test(ctx.text.slice(clause.start, start)))) continue;
      out.push({ field: "listed", value: false, start, end: start + m[0].length, reader: "listed" });
    }
    if (out.length) return out;
    for (const m of ctx.text.matchAll(YES)) {
      const start = m.index!;
      const clause = ctx.clauseAt(start);
      const before = ctx.text.slice(clause.start, start);
      if (!ours(ctx, start) || INTENT.test(before) || /准备|筹备|冲刺|辅导|排队|明年|后年|将来|以后|计划/.test(clause.text)) continue;
      // 「上市公司能申请吗」 asks about listed companies; 「我们是创业板上市公司」 states it.
      const named = !/^(?:已|刚|在)/.test(m[0]);
      // 「我们新三板挂牌了」 states it as done.
      const done = ctx.text.slice(start + m[0].length).startsWith("了");
      if (named && !done && !/(?:是|为|属于|作为|在)(?:一家|一个)?[^，。；]{0,10}$/.test(before)) continue;
      if (asks(ctx, clause) && !SELF.test(before)) continue;
      out.push({ field: "listed", value: true, start, end: start + m[0].length, reader: "listed" });
    }
    return out;
  },
};
