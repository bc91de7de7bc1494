/**
 * What the company says it does not have yet, as zero: 「还没有营收」「暂无收入」
 * 「营收为零」「没有发明专利」「还没有专利」「没有知识产权」. Not a requirement
 * asked about (「没有营收要求吗」: a question) nor a double negative.
 */

import type { FactField, FactReader, Finding } from "../reader.js";
import { isOurs } from "./ours.js";

const NONE_BEFORE = String.raw`(?:还没有|还没|没有|暂无|尚无|尚未产生|还未产生|没产生|无|零)`;
const NONE_AFTER = String.raw`(?:为零|为0|是零|是0|还没有|还没|暂无|为空|挂零)`;
const THINGS: Array<[FactField[], string]> = [
  [["revenue"], String.raw`营业收入|营收|销售收入|收入|销售额|营业额`],
  [["rdExpense"], String.raw`研发投入|研发费用`],
  [["inventionPatents", "ipCount"], String.raw`知识产权`],
  [["inventionPatents"], String.raw`发明专利|专利`],
];
const NOT_A_STATEMENT = /^(?:的)?(?:要求|门槛|限制|条件|标准|也)/;

export const absentReader: FactReader = {
  name: "absent",
  read(ctx) {
    const out: Finding[] = [];
    for (const [fields, thing] of THINGS) {
      const re = new RegExp(String.raw`${NONE_BEFORE}(?:任何)?(?:的)?(${thing})|(${thing})(?:目前|现在|暂时)?${NONE_AFTER}`, "gu");
      for (const m of ctx.text.matchAll(re)) {
        const start = m.index!;
        const end = start + m[0].length;
        if (/不是|并非/.test(ctx.text.slice(Math.max(0, start - 3), start)) || NOT_A_STATEMENT.test(ctx.text.slice(end))) continue;
        if (!isOurs(ctx, { kind: "count", value: 0, start, end })) continue;
        for (const field of fields) out.push({ field, value: 0, start, end, reader: "absent" });
      }
    }
    return out;
  },
};
