import { z } from "zod";
import type { Company } from "../company.js";
import { anyOf, SPECIALISED_SME_STEMS } from "../vocabulary.js";
import { type CheckResult, type ConditionKind, quote, typeOf } from "./kind.js";

const SPECIALISED_SME = new RegExp(anyOf(SPECIALISED_SME_STEMS));
const SIZES = ["大型", "中型", "小型", "微型"] as const;
type Size = (typeof SIZES)[number];

export const SizeSchema = z.object({
  type: typeOf("size", "The enterprise size class under the national 中小企业划型标准: 小微 or 中小 only"),
  allowed: z
    .array(z.enum(SIZES))
    .min(1)
    .describe("The size classes that may apply")
    .meta({ example: ["小型", "微型"] }),
});
type SizeCheck = z.infer<typeof SizeSchema>;

// «申报企业为小微企业», «面向中小微企业»; not «科技型中小企业», a register of its own (qualification).
// Not the name of a fund or a service for them («中小企业创业投资引导基金», «中小企业公共服务平台»).
const NAMING = "(?!创业|发展|服务|基金|促进|公共|专项|股份|信用|融资|名录)";
const SMALL_MICRO = new RegExp(`(?<!科技型|中)(?:小微|小型微型|小型、微型)(?:企业${NAMING}|型|或|、|$)`);
const SME = new RegExp(`(?<!科技型|专精特新)中小(?:微)?企业${NAMING}`);
// «公司为中型企业», «属于小型企业», «不是小微企业».
const SAID = /(大型|中型|小型|微型|小微)企业/;

/**
 * The size class a company states, or what its headcount and revenue put beyond doubt. The
 * national classes are drawn by industry, with a medium or large enterprise meeting both its
 * lower bounds, so only bounds that hold in every industry are used: under 20 people or 500万
 * revenue is small or micro anywhere (the lowest medium bounds, 批发 and 零售); under 200 people
 * or 5000万 is below large anywhere (批发, 物业管理); 1,000 people and 20亿 is large anywhere.
 */
function sizeOf(company: Company): { sizes: Size[]; said: string } | undefined {
  for (const f of company.facts) {
    const m = SAID.exec(f.text);
    if (!m) continue;
    // «尚不在小型微型企业名录里» says the register, not the size.
    if (/名录|名单|库/.test(f.text.slice(m.index, m.index + m[0].length + 4))) continue;
    const denied = /不是|不属于|并非|非/.test(f.text.slice(Math.max(0, m.index - 4), m.index));
    const named: Size[] = m[1] === "小微" ? ["小型", "微型"] : [m[1] as Size];
    return { sizes: denied ? SIZES.filter((s) => !named.includes(s)) : named, said: f.text };
  }
  const { employees: people, revenue } = company;
  const figures = [people !== undefined ? `从业人员${people}人` : "", revenue !== undefined ? `营业收入${revenue}万元` : ""].filter(Boolean).join("、");
  if ((people !== undefined && people < 20) || (revenue !== undefined && revenue < 500)) return { sizes: ["小型", "微型"], said: figures };
  if ((people !== undefined && people < 200) || (revenue !== undefined && revenue < 5000)) return { sizes: ["中型", "小型", "微型"], said: figures };
  if (people !== undefined && people >= 1000 && revenue !== undefined && revenue >= 200000) return { sizes: ["大型"], said: figures };
  return undefined;
}

/** «申报企业为小微企业», «面向中小微企业»: the enterprise's size class. */
export const size: ConditionKind<SizeCheck> = {
  type: "size",
  schema: SizeSchema,
  read(clause) {
    const c = clause.unbracketed;
    // «小型微型企业名录内的企业» is a register the company is on or not, read as free text.
    if (/名录/.test(c)) return [];
    const small = SMALL_MICRO.exec(c);
    const sme = small ? null : SME.exec(c);
    const m = small ?? sme;
    if (!m) return [];
    // «专精特新中小企业» is a register whose members are small or medium by definition;
    // «…示范企业、小型微型企业以及其他…» lists kinds of applicant, any of which will do.
    if (SPECIALISED_SME.test(c.slice(Math.max(0, m.index - 6), m.index))) return [];
    if (/、/.test(c.slice(Math.max(0, m.index - 1), m.index)) || /^[^，。；]{0,6}、/.test(c.slice(m.index + m[0].length))) return [];
    return [{ type: "size", allowed: small ? ["小型", "微型"] : ["中型", "小型", "微型"] }];
  },
  judge(check, text, company): CheckResult {
    const own = sizeOf(company);
    if (!own) return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有企业规模`, question: ask(check) };
    if (own.sizes.every((s) => check.allowed.includes(s))) return { status: "met", reason: `政策要求${quote(text)}；企业自述：${own.said}` };
    if (own.sizes.every((s) => !check.allowed.includes(s)))
      return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${own.said}，不属于${check.allowed.join("、")}企业` };
    return { status: "unknown", reason: `政策要求${quote(text)}；企业自述：${own.said}，规模未定`, question: ask(check) };
  },
  question: (check) => ask(check),
  verify: (check, text) => (check.allowed.includes("中型") ? SME : SMALL_MICRO).test(text),
};

const ask = (check: SizeCheck) => `按国家中小企业划型标准，贵公司属于大型、中型、小型还是微型企业？（政策要求${check.allowed.join("、")}企业）`;
