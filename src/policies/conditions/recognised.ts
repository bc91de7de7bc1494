import { z } from "zod";
import type { Company } from "../company.js";
import { findQualifications } from "../vocabulary.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";
import { qualification } from "./qualification.js";

export const RecognisedSchema = z.object({
  type: typeOf("recognised", "A qualification newly granted in a given year («2025年度新认定的…», «2025年首次认定为…»)"),
  anyOf: z
    .array(z.string())
    .min(1)
    .describe("The qualifications, any one of which will do")
    .meta({ example: ["专精特新中小企业"] }),
  year: z.number().int().describe("The year it must have been granted in").meta({ example: 2025 }),
});
type Recognised = z.infer<typeof RecognisedSchema>;

/** «2025年度（含2025年第七批公告名单）新认定的…», «2025年首次通过认定的…». */
const NEWLY = /((?:19|20)\d{2})\s*年度?(?:[（(][^）)]*[）)])?(?:内)?(?:新|首次)(?:通过)?(?:认定|获评|评定|入选)(?:为)?的?/;

/**
 * A reward for what was newly granted in a year: holding the qualification is not enough, the
 * year it was granted decides. A company that says it was granted it in another year fails.
 */
export const recognised: ConditionKind<Recognised> = {
  type: "recognised",
  schema: RecognisedSchema,
  read(clause) {
    const m = NEWLY.exec(clause.text);
    if (!m) return [];
    const names = findQualifications(clause.text.slice(m.index + m[0].length, m.index + m[0].length + 24)).filter((q) => q.index <= 6);
    return names.length ? [{ type: "recognised", anyOf: [names[0].name], year: Number(m[1]) }] : [];
  },
  judge(check, text, company) {
    const held = qualification.judge({ type: "qualification", anyOf: check.anyOf }, text, company);
    if (held.status === "unmet") return held;
    const years = grantedYears(check.anyOf, company);
    const name = check.anyOf.join("或");
    if (years.some((y) => y.year === check.year))
      return { status: "met", reason: `政策要求${quote(text)}；企业自述：${years.find((y) => y.year === check.year)!.fact}` };
    if (years.length) return { status: "unmet", reason: `政策要求${check.year}年度新认定的${name}；企业自述：${years[0].fact}` };
    return { status: "unknown", reason: `政策要求${check.year}年度新认定的${name}`, question: ask(check) };
  },
  question: (check) => ask(check),
  verify: (check, text) => {
    const m = NEWLY.exec(text);
    return !!m && Number(m[1]) === check.year && findQualifications(text).some((q) => check.anyOf.includes(q.name));
  },
};

const ask = (check: Recognised) => `贵公司是哪一年获得${check.anyOf.join("或")}认定的？（政策奖励${check.year}年度新认定的企业）`;

/** The year a fact says the company was granted one of the qualifications: «2024年被认定为湖北省专精特新中小企业». */
function grantedYears(names: string[], company: Company): Array<{ year: number; fact: string }> {
  const out: Array<{ year: number; fact: string }> = [];
  for (const f of company.facts) {
    // Asides («（此前为湖北省专精特新中小企业）», «（非2025年度新认定）») say what the company was or was not.
    const said = f.text.replace(/[（(][^）)]*[）)]/g, "");
    for (const q of findQualifications(said)) {
      if (!names.includes(q.name)) continue;
      const before = said.slice(Math.max(0, q.index - 24), q.index);
      const year = [...before.matchAll(/((?:19|20)\d{2})\s*年/g)].pop();
      if (year && /认定|评为|评定|评上|入选|取得|获得|获批|通过|拿/.test(before.slice(year.index))) out.push({ year: Number(year[1]), fact: f.text });
    }
  }
  return out;
}
