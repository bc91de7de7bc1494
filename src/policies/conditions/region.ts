import { z } from "zod";
import type { Company } from "../company.js";
import { placePathIn, regionCovers } from "../region.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";

export const RegionSchema = z.object({
  type: typeOf("region", "Registered in a place"),
  path: z
    .array(z.string())
    .describe("The place as a path, province first")
    .meta({ example: ["湖北省", "武汉市"] }),
  place: z.string().describe("The place in the policy's words").meta({ example: "武汉市" }),
  operating: z
    .boolean()
    .optional()
    .describe("Where the company operates or innovates counts, not only where it is registered (「依法在徐汇区经营」「主要创新活动在本区」)"),
});
type Region = z.infer<typeof RegionSchema>;

/** Registered elsewhere, but a fact places some of its work there («在徐汇滨江租了测试场地»). */
function workThere(check: Region, company: Company) {
  const short = check.place.replace(/(?:市|区|县|新区)$/, "");
  if (!check.operating || short.length < 2) return undefined;
  // The place must be where something of the company is («在徐汇滨江设有研发中心»), not the name of a fund («徐汇区专项资金»).
  const there = new RegExp(`(?:在|于|位于|落户|入驻|迁至|搬到|租用|租了)[^，。；]{0,4}${short}`);
  return company.facts.find((f) => there.test(f.text));
}

function ask(check: Region, company: Company): string {
  if (company.regionPath.length === 0) return "贵公司注册在哪个省、市、区？";
  if (workThere(check, company) && !company.regionPath.every((p) => check.path.includes(p))) {
    return `贵公司是否依法在${check.place}经营（如设有分支机构或主要创新活动在${check.place}）？`;
  }
  return `贵公司是否注册（或经营）在${check.place}？`;
}

/** Registered in a place: «注册在中关村示范区», «在本市注册», «在京». */
export const region: ConditionKind<Region> = {
  type: "region",
  schema: RegionSchema,
  read(clause, ctx) {
    const c = clause.text;
    if (!/注册(?!资本|资金)|登记|设立|落户|经营|纳税地|行政区域|在京(?!累计)|在本市|在本区|本市|本区/.test(c)) return [];
    const named = placePathIn(c.replace(/[（(][^）)]*[）)]/g, ""));
    const local = /在京|京内/.test(c) ? ["北京市"] : /本市|本区|辖区/.test(c) ? ctx.policyRegionPath : null;
    let path = named ?? local;
    // 「注册在中关村示范区…，注册在北京市其他区域的参照执行」 widens the zone to the city.
    if (path && ctx.regionHint.length && path.length > ctx.regionHint.length && ctx.regionHint.every((p) => path!.includes(p))) {
      path = ctx.regionHint;
    }
    // «须符合徐汇区产业发展导向»: the district's plans, not where the company is.
    if (/(?:区|市)(?:的)?(?:产业)?(?:发展)?(?:导向|布局|规划|方向)/.test(c) && !/注册|登记|设立|落户|在[^，。]{0,8}经营/.test(c)) return [];
    // «依法在徐汇区经营», «主要创新活动在本区»: operating there counts as well as being registered there.
    const operating =
      /在[^，。；、]{1,12}经营|(?:创新|经营|生产|研发)活动在|生产经营地/.test(c) &&
      !/注册|登记/.test(c.replace(/或.*$/, "").replace(/在[^，。；、]{1,12}经营/, ""));
    return path?.length ? [{ type: "region", path, place: path[path.length - 1], ...(operating ? { operating } : {}) }] : [];
  },
  judge(check, text, company) {
    const at = company.regionPath;
    if (at.length === 0) return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有注册地`, question: ask(check, company) };
    if (regionCovers(check.path, at)) return { status: "met", reason: `注册地${at.join("")}在${check.place}范围内` };
    if (at.every((p) => check.path.includes(p))) {
      return { status: "unknown", reason: `政策要求在${check.path.join("")}，画像只写到${at.join("")}`, question: ask(check, company) };
    }
    // Whether it operates there is the question.
    const there = workThere(check, company);
    if (there) return { status: "unknown", reason: `政策要求${quote(text)}；企业注册地为${at.join("")}，自述：${there.text}`, question: ask(check, company) };
    return { status: "unmet", reason: `政策要求${quote(text)}，企业注册地为${at.join("")}` };
  },
  question: (check, _text, company) => ask(check, company),
  // Places stay with the rules: a model's place is not taken.
  verify: () => false,
};
