import { z } from "zod";
import { completePath, findPlaces, regionCompatible, regionCovers } from "../region.js";
import { type CheckResult, type ConditionKind, quote, typeOf } from "./kind.js";

/**
 * What a placed thing is, by the words that place it. A company's fact places the same
 * thing only with words of the same family: «项目在江苏省发展改革委备案» speaks to «在本市立项备案».
 */
const FAMILIES = {
  filing: /立项|备案/,
  employer: /用人单位|就业协议|入户|迁往|落户/,
  premises: /入驻|孵化载体|载体|场地|办公地|办公场所/,
  registered: /注册地址|注册地|注册在|新注册|登记注册|注册/,
  // Last: «园区投资建设或运营单位» names a kind of applicant, and its registration is what is placed.
  built: /建设地|建成|建在|建于|设在|改扩建|位于|坐落|选址|实施地|所在地|落地|建设/,
} as const;
type Family = keyof typeof FAMILIES;
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

export const SiteSchema = z.object({
  type: typeOf("site", "Where something the policy places is: a project, a facility, an employer, premises, a registration in one of several zones"),
  what: z
    .enum(FAMILY_NAMES as [Family, ...Family[]])
    .describe("What is placed: filing (立项备案), built (a project or facility), employer, premises, registered (in one of named zones)"),
  paths: z.array(z.array(z.string())).min(1).describe("The places allowed, any of them, each as a path province first"),
  place: z.string().describe("The places in the policy's words").meta({ example: "北京市" }),
  complete: z.boolean().describe("Every place the clause lists was recognised: only then does a place outside them rule a company out"),
});
type Site = z.infer<typeof SiteSchema>;

// «本市行政区域范围内», «在京», «本区»: the policy's own place.
const LOCAL = /本市|本区|在京|京内|辖区/;
// «在未来科学城、怀柔科学城、北京经济技术开发区和城市副中心范围内»: a list of places ending in 范围/区域/内.
const LISTED = /在([^，。；]{2,60}?)(?:范围|区域|行政区域)?内/;

/**
 * «申报项目须为在北京市立项备案的项目», «本市行政区域范围内建成的加氢站», «就业协议书中的用人单位…须在本市行政区域内»,
 * «注册地址应在未来科学城、怀柔科学城…范围内»: a place bound to something other than where the company is registered,
 * or to a registration in one of several zones (which the region kind, reading one path, leaves).
 */
export const site: ConditionKind<Site> = {
  type: "site",
  schema: SiteSchema,
  read(clause, ctx, before) {
    const c = clause.unbracketed;
    const what = familyOf(c);
    if (!what) return [];
    // A registration the region kind already reads is its.
    if (what === "registered" && before.some((k) => k.type === "region")) return [];
    const places = findPlaces(c).map((p) => completePath([p.canonical]));
    const local = LOCAL.test(c) && ctx.policyRegionPath.length ? [ctx.policyRegionPath] : [];
    const paths = dedupe([...places, ...local]);
    if (paths.length === 0) return [];
    // A place only in passing («北京市重点产业发展规划») binds nothing; the place must be where the thing is.
    if (!/在|内|位于|坐落|建成|迁往|本市|本区/.test(c)) return [];
    const listed = LISTED.exec(c)?.[1];
    const items = listed ? listed.split(/[、和及与或]/).filter(Boolean) : [];
    const complete = items.length <= 1 || items.every((item) => findPlaces(item).length > 0 || LOCAL.test(item));
    const place = listed && items.length > 1 ? listed : paths.map((p) => p[p.length - 1]).join("、");
    return [{ type: "site", what, paths, place, complete }];
  },
  judge(check, text, company) {
    // What the facts say of the thing itself first («充电站位于河北省»); for a facility, the company's registration after.
    const families: Family[] = check.what === "built" ? ["built", "registered"] : [check.what];
    for (const family of families) {
      for (const f of company.facts) {
        for (const said of f.text.split(/[，,；;。]/)) {
          if (familyOf(said) !== family) continue;
          const at = findPlaces(said).map((p) => completePath([p.canonical]));
          if (at.length === 0) continue;
          const verdict = placed(check, at, text, said);
          if (verdict) return verdict;
        }
      }
    }
    // A registration in named zones, or the employer of a person the company hires: where the company is registered says it.
    // A project or premises nobody placed elsewhere is taken to be where the company is, but only to meet the condition.
    if (company.regionPath.length) {
      const own = check.what === "registered" || check.what === "employer";
      const verdict = placed(
        check,
        [company.regionPath],
        text,
        own ? `注册地${company.regionPath.join("")}` : `未说明其所在地，按企业注册地${company.regionPath.join("")}`,
      );
      if (verdict && (own || verdict.status === "met")) return verdict;
    }
    return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有其所在地`, question: ask(check) };
  },
  question: (check) => ask(check),
  // Places stay with the rules: a model's place is not taken.
  verify: () => false,
};

function placed(check: Site, at: string[][], text: string, said: string): CheckResult | null {
  const inside = at.some((p) => check.paths.some((allowed) => regionCovers(allowed, p)));
  if (inside) return { status: "met", reason: `政策要求${quote(text)}；企业自述：${said}` };
  // Less precise than the policy («在北京» for «在海淀区»): not decided.
  const vague = at.some((p) => check.paths.some((allowed) => regionCompatible(allowed, p)));
  if (vague || !check.complete) return null;
  return { status: "unmet", reason: `政策要求${quote(text)}；企业自述：${said}，不在${check.place}` };
}

function familyOf(words: string): Family | undefined {
  return FAMILY_NAMES.find((f) => FAMILIES[f].test(words));
}

const ASK: Record<Family, string> = {
  filing: "该项目在哪里立项备案？",
  built: "该项目（设施）建在哪个省、市、区？",
  employer: "用人单位在哪个城市？",
  premises: "贵公司入驻的载体（场地）在哪个区？",
  registered: "贵公司（或新设机构）注册在哪里？",
};
const ask = (check: Site) => `${ASK[check.what]}（政策要求在${check.place}）`;

function dedupe(paths: string[][]): string[][] {
  const seen = new Set<string>();
  return paths.filter((p) => !seen.has(p.join("/")) && seen.add(p.join("/")));
}
