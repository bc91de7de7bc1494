import { z } from "zod";
import type { Company, CompanyFact } from "../company.js";
import { compare, findQuantities, formatQuantity, type Quantity } from "../quantity.js";
import { isFounding } from "./age.js";
import { isFigure } from "./clause.js";
import { askWhether, ComparatorSchema, type ConditionKind, overlap, quote, typeOf } from "./kind.js";

export const Metrics = [
  "revenue",
  "rdExpense",
  "rdRatio",
  "rdGrowth",
  "rdGrowthRate",
  "employees",
  "techStaff",
  "techStaffRatio",
  "totalAssets",
  "inventionPatents",
  "ipCount",
  "other",
] as const;
export type Metric = (typeof Metrics)[number];

export const ThresholdSchema = z.object({
  type: typeOf("threshold", "A figure of the company against a value"),
  metric: z.enum(Metrics).describe("Which figure: revenue, rdExpense, rdRatio, … (other: someone else's figure, not checkable from a profile)"),
  op: ComparatorSchema,
  value: z.number().describe("The value: 万元 for money (CNY unless currency says otherwise), a fraction for ratios").meta({ example: 2000 }),
  dimension: z.enum(["money", "ratio", "count", "years", "months"]).describe("What the value measures"),
  currency: z.enum(["CNY", "USD", "EUR", "HKD"]).optional().describe("Currency of a money value"),
  subject: z.string().describe("The figure in the policy's words").meta({ example: "上一会计年度营业收入" }),
});
type Threshold = z.infer<typeof ThresholdSchema>;

const METRIC_WORDS: Array<[Metric, RegExp, Quantity["dimension"][]]> = [
  ["rdGrowth", /研发(?:费用|投入).{0,12}(?:增量|增长额|增加)/, ["money"]],
  // «研发费用较上年度增长10%以上», «研发费用增长率不低于15%»: the growth as a share of the year before.
  ["rdGrowthRate", /研发(?:费用|投入).{0,12}(?:增长|增幅|增速)/, ["ratio"]],
  ["rdRatio", /研发(?:费用|投入)(?:总额|金额)?.{0,20}(?:占|比例|比重)/, ["ratio"]],
  ["rdExpense", /研发(?:费用|投入|经费)/, ["money"]],
  ["techStaffRatio", /(?:科技|研发|技术)人员.{0,12}(?:占|比例|比重)/, ["ratio"]],
  ["techStaff", /(?:科技|研发|技术)人员/, ["count"]],
  ["employees", /从业人员|职工|员工|在职人员|雇员/, ["count"]],
  ["revenue", /营业收入|销售收入|年收入|营收|主营业务收入|年销售额/, ["money"]],
  ["totalAssets", /资产总额|总资产/, ["money"]],
  ["inventionPatents", /发明专利/, ["count"]],
  ["ipCount", /知识产权|专利/, ["count"]],
];

/** The profile field a metric is read from, its name in a reason, and the question that asks for it. */
const METRIC_NAMES: Record<string, [keyof Company, string, string]> = {
  revenue: ["revenue", "营业收入", "贵公司上一年度营业收入是多少（万元）？"],
  rdExpense: ["rdExpense", "研发费用", "贵公司上一年度研发费用是多少（万元）？"],
  rdGrowth: ["rdGrowth", "研发费用同比增量", "贵公司最近两个会计年度的研发费用各是多少（万元）？"],
  rdGrowthRate: ["rdGrowth", "研发费用增长率", "贵公司最近两个会计年度的研发费用各是多少（万元）？"],
  employees: ["employees", "从业人员", "贵公司现有从业人员多少人？"],
  techStaff: ["techStaff", "科技人员", "贵公司有多少名科技（研发）人员？"],
  totalAssets: ["totalAssets", "资产总额", "贵公司资产总额是多少（万元）？"],
  inventionPatents: ["inventionPatents", "发明专利", "贵公司拥有多少件发明专利？"],
  ipCount: ["ipCount", "知识产权", "贵公司拥有多少件知识产权？"],
};

/** A figure of the company against a value: «上一会计年度营业收入 2000 万元（含）以下», «研发人员占比不低于30%». */
export const threshold: ConditionKind<Threshold> = {
  type: "threshold",
  schema: ThresholdSchema,
  read(clause) {
    const c = clause.text;
    const quantities = clause.quantities;
    const out: Threshold[] = [];
    for (const q of quantities) {
      if (!isFigure(clause, q) || isFounding(clause, q)) continue;
      const before = c.slice(Math.max(0, q.start - 40), q.start);
      // «职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元»: each number's subject starts after the one before.
      const previous = quantities.filter((x) => x.end <= q.start).pop();
      const own = previous && previous.end > q.start - 40 ? c.slice(previous.end, q.start) : before;
      const subject = (
        own
          .replace(/[（(][^）)]*[）)]/g, "")
          .split(/[，,；;：:、]/)
          .filter((x) => x.trim())
          .pop() ?? ""
      ).replace(/^(?:且|并且|并|同时|其中|上一?年度|企业|申请人)/, "");
      // Figures of someone else (the parent company, the target of a merger) are not the applicant's own.
      const someoneElse = /母公司|股东|被并购|合作单位|合作方|担保机构|银行|项目/.test(subject);
      const metric = someoneElse ? "other" : (METRIC_WORDS.find(([, re, dims]) => re.test(subject) && dims.includes(q.dimension))?.[0] ?? "other");
      // «营业收入在1000万元至5亿元之间»: the upper end of a range is the same figure's, within it.
      const upper = /^(?:至|到|~|－|-|—)$/.test(subject.trim()) ? out[out.length - 1] : undefined;
      if (upper && upper.dimension === q.dimension) {
        const check: Threshold = { ...upper, op: "<=", value: q.value };
        clause.at.set(check, q.start);
        out.push(check);
        continue;
      }
      const check: Threshold = {
        type: "threshold",
        metric,
        op: q.op!,
        value: q.value,
        dimension: q.dimension,
        ...(q.currency && q.currency !== "CNY" ? { currency: q.currency } : {}),
        subject: subject || c.slice(0, 20),
      };
      clause.at.set(check, q.start);
      out.push(check);
    }
    return out;
  },
  judge(check, text, company) {
    let actual: number | undefined;
    let label = check.subject;
    if (check.metric === "rdRatio" && company.rdExpense !== undefined && company.revenue) {
      actual = company.rdExpense / company.revenue;
      label = "研发费用占营业收入比例";
    } else if (check.metric === "rdRatio" && company.rdRatio !== undefined) {
      // «研发投入占比5%»: the company gave the ratio, not the two figures.
      actual = company.rdRatio;
      label = "研发费用占营业收入比例";
    } else if (check.metric === "rdGrowthRate") {
      // A rate needs the year before: an amount of growth alone («增长了800万») does not give it.
      if (company.rdGrowth !== undefined && company.rdPrevious) {
        actual = company.rdGrowth / company.rdPrevious;
        label = "研发费用增长率";
      }
    } else if (check.metric === "techStaffRatio" && company.techStaff !== undefined && company.employees) {
      actual = company.techStaff / company.employees;
      label = "科技人员占比";
    } else if (METRIC_NAMES[check.metric]) {
      const [key, name] = METRIC_NAMES[check.metric];
      const v = company[key];
      if (typeof v === "number") {
        actual = v;
        label = name;
      }
    }
    // Profile figures are in yuan; a figure the company stated has its own currency.
    let currency: Currency = "CNY";
    if (actual === undefined && check.metric === "other") {
      // Anything else is read from what the company said, by the words around the number.
      const fact = bestQuantityFact(check, company.facts);
      if (fact) {
        actual = fact.value;
        label = fact.subject || check.subject;
        currency = fact.currency;
      }
    }
    if (actual === undefined) return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有这项数据`, question: ask(check, text) };
    const wanted = check.dimension === "money" ? (check.currency ?? "CNY") : currency;
    if (wanted !== currency) {
      // «资产总额不低于 2 亿美元» against «总资产约12亿元人民币»: decided only when every plausible rate agrees.
      const [low, high] = converted(actual, currency, wanted);
      const lowOk = compare(low, check.op, check.value);
      const highOk = compare(high, check.op, check.value);
      const said = `企业${label}${formatQuantity({ ...check, value: actual, currency })}（约合${formatQuantity({ ...check, value: Math.round(low), currency: wanted })}至${formatQuantity({ ...check, value: Math.round(high), currency: wanted })}）`;
      if (lowOk !== highOk) return { status: "unknown", reason: `政策要求${quote(text)}；${said}，按汇率不同结果不同`, question: ask(check, text) };
      return { status: lowOk ? "met" : "unmet", reason: `政策要求${quote(text)}；${said}，${lowOk ? "符合" : "不符合"}` };
    }
    const ok = compare(actual, check.op, check.value);
    return {
      status: ok ? "met" : "unmet",
      reason: `政策要求${quote(text)}；企业${label}${formatQuantity({ ...check, value: actual })}，${ok ? "符合" : "不符合"}`,
    };
  },
  question: (check, text) => ask(check, text),
  verify(check, text) {
    if (check.metric === "other") return false;
    return findQuantities(text).some((q) => Math.abs(q.value - check.value) < 1e-9 && q.dimension === check.dimension && (!q.op || q.op === check.op));
  },
};

/**
 * One plain question: the profile field's own, else the figure by the
 * policy's name for it («注册资金是多少（万元）？»). A name cut from the middle
 * of a sentence («至», «与其签订», «…收入不低于企业当年总收入») makes no
 * question: then the criterion's own words are asked about.
 */
function ask(check: Threshold, clauseText: string): string {
  const own = METRIC_NAMES[check.metric]?.[2];
  if (own) return own;
  const name = check.subject
    .trim()
    .replace(/^(?:且|并且|同时)/, "")
    .replace(/(?:应当|应|须|需|要|必须)?(?:在|为|达到|达)?$/, "")
    .replace(/的$/, "");
  const plain =
    /^[\p{Script=Han}A-Za-z“”]{2,24}$/u.test(name) &&
    !/^(?:至|与|还|对|从|向|和|及|或|于|由|将|按|以|在|进型)/.test(name) &&
    !/(?:不低于|不少于|不超过|不高于|不足|以上|以下|后|前|时|内)$/.test(name) &&
    !/不低于|不少于|不超过|不高于/.test(name);
  if (!plain) return askWhether(clauseText);
  // «境外母公司资产总额», «投资机构…所占股权比例»: another party's figure is not «贵公司»'s.
  const who = /^(?:企业|公司|本企业|申报企业|申请企业)/.test(name)
    ? name.replace(/^(?:企业|公司|本企业|申报企业|申请企业)/, "贵公司")
    : /境外|海外|母公司|总部|机构|股东|投资方|法定代表人|个人|团队|项目/.test(name)
      ? name
      : `贵公司${name}`;
  const unit =
    check.dimension === "money"
      ? `（万${CURRENCY_NAMES[check.currency ?? "CNY"]}）`
      : check.dimension === "ratio"
        ? "（%）"
        : check.dimension === "years"
          ? "（年）"
          : check.dimension === "months"
            ? "（个月）"
            : "";
  return check.dimension === "ratio" && /占/.test(who) && !/(?:比例|比重|率)$/.test(who) ? `${who}的比例是多少${unit}？` : `${who}是多少${unit}？`;
}

const CURRENCY_NAMES: Record<Currency, string> = { CNY: "元", USD: "美元", EUR: "欧元", HKD: "港元" };

/** One name for a figure that goes by several («总资产» is «资产总额»). */
const synonyms = (s: string) => s.replace(/总资产/g, "资产总额").replace(/营收/g, "营业收入");

type Currency = NonNullable<Quantity["currency"]>;

/** Yuan per unit, as a band wide enough for any recent year's rate. */
const YUAN_PER: Record<Currency, [number, number]> = { CNY: [1, 1], USD: [6.2, 7.4], EUR: [6.8, 8.3], HKD: [0.8, 0.95] };

/** The lowest and highest value of an amount in another currency. */
function converted(value: number, from: Currency, to: Currency): [number, number] {
  return [(value * YUAN_PER[from][0]) / YUAN_PER[to][1], (value * YUAN_PER[from][1]) / YUAN_PER[to][0]];
}

function bestQuantityFact(check: Threshold, facts: CompanyFact[]) {
  let best: { value: number; subject: string; score: number; currency: Currency } | undefined;
  for (const f of facts) {
    for (const x of f.quantities) {
      if (x.dimension !== check.dimension) continue;
      // «实缴注册资本不低于1000万美元»: the registered capital is not what was paid in.
      if (/实缴|实际缴纳|实到/.test(check.subject) && !/实缴|实际缴纳|实到/.test(x.context)) continue;
      const score = Math.max(overlap(synonyms(check.subject), synonyms(x.subject)), overlap(synonyms(check.subject), synonyms(x.context)) * 0.9);
      if (score >= 0.34 && (!best || score > best.score)) best = { value: x.value, subject: x.subject, score, currency: x.currency ?? "CNY" };
      // «培育国家高新技术企业、金种子企业…等不少于 5 家» against «培育国家高新技术企业4家、“专精特新”企业2家»: the kinds together.
      const kinds =
        check.dimension === "count" && /[、和及]|等$/.test(check.subject) ? f.quantities.filter((y) => y.dimension === "count" && y.unit === x.unit) : [];
      if (best?.subject === x.subject && best.value === x.value && kinds.length > 1) {
        best = {
          ...best,
          value: kinds.reduce((sum, y) => sum + y.value, 0),
          subject: kinds.map((y) => y.subject.replace(/^.*?(?:培育|拥有|有)/, "")).join("、"),
        };
      }
    }
  }
  return best;
}
