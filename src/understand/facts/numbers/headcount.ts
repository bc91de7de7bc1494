/**
 * Employees and technical staff: 「员工45人」「团队25人」「28个人」「七十来人」
 * 「其中研发人员60人」「员工人数：86」「人数现在六十了」「员工一百五」「headcount 45」
 * 「300 employees, 90 of them in R&D」. A number of people with no subject
 * word is the headcount; people of some other kind (博士, 股东, 客户, 3551人才) are not.
 */

import type { FactField, FactReader, Finding } from "../reader.js";
import { type Amount, findAmounts } from "./amount.js";
import { isOurs } from "./ours.js";
import { subjectOf, subjectsIn } from "./subject.js";

// A bare number (no 人) counts people only right after the word: 「员工人数：86」「人数现在六十了」.
const TIGHT = /^(?:数|总数)?(?:\s|[:：]|是|为|有|约|大概|大约|差不多|现在|目前|一共|总共|共|达到|达|了|of|is|:)*$/i;
const ENGLISH_AFTER: Array<[FactField, RegExp]> = [
  ["techStaff", /^\s*(?:of (?:them|whom)\s+)?(?:are\s+)?(?:R&D|research|technical|tech)\b/i],
  ["employees", /^\s*(?:full-time\s+)?(?:employees|staff|people|workers|persons)\b/i],
];

export const headcountReader: FactReader = {
  name: "headcount",
  read(ctx) {
    const counts = findAmounts(ctx.text).filter((a) => (a.kind === "count" && /^(?:人|个)$/.test(a.unit ?? "")) || a.kind === "bare");
    const out: Finding[] = [];
    counts.forEach((a, i) => {
      if (!isOurs(ctx, a) || !Number.isInteger(a.value)) return;
      // 「一个员工都没有」: none, not one.
      if (/^[^，,。；;]{0,6}?(?:都没有|也没有|都没)/.test(ctx.text.slice(a.end, a.end + 10))) return;
      const after = PEOPLE_AFTER.find(([, re]) => re.test(ctx.text.slice(a.end, a.end + 8)));
      const field = after
        ? after[0]
        : a.unit === "个"
          ? undefined
          : a.kind === "bare"
            ? bareField(ctx.text, a)
            : personField(subjectOf(ctx, a, "count", counts[i - 1]));
      if (!field) return;
      out.push({ field, value: a.value, start: a.start, end: a.end, reader: "headcount", ...(a.approx ? { approx: true } : {}) });
    });
    return out;
  },
};

// 「60名研发人员」「30个员工」「5个博士」: the people named after the number.
const PEOPLE_AFTER: Array<[FactField | undefined, RegExp]> = [
  [undefined, /^(?:的)?(?:博士|硕士|研究生|本科|股东|客户|用户|实习生|兼职|外包|学生|专家|院士|人才)/],
  ["techStaff", /^(?:是)?(?:做|搞)(?:研发|技术)|^(?:的)?(?:研发人员|技术人员|科技人员|科研人员|研发工程师|工程师|研发)/],
  ["employees", /^(?:的)?(?:员工|职工|雇员|全职员工|正式员工)/],
];

function personField(subject: ReturnType<typeof subjectOf>): FactField | undefined {
  if (!subject) return "employees";
  return subject.field === "employees" || subject.field === "techStaff" ? subject.field : undefined;
}

function bareField(text: string, a: Amount): FactField | undefined {
  const english = ENGLISH_AFTER.find(([, re]) => re.test(text.slice(a.end, a.end + 30)))?.[0];
  if (english) return english;
  const before = text.slice(Math.max(0, a.start - 16), a.start);
  const subject = subjectsIn(before, a.start - before.length, "count").pop();
  if (!subject || !TIGHT.test(text.slice(subject.end, a.start))) return undefined;
  // 「公司」「我们」 name the company, not a headcount, before a bare number.
  if (/^(?:公司|我们|我司|本公司|企业|规模)$/.test(text.slice(subject.start, subject.end))) return undefined;
  return subject.field === "employees" || subject.field === "techStaff" ? subject.field : undefined;
}
