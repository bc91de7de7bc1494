/**
 * The kind of applicant, when the message states it or clearly implies it: 「我们是一所高校」,
 * 「以学校名义申报」 → 高校; 「中科院下属的研究所」 → 科研院所; 「民办非企业单位」 → 社会组织;
 * 「我们不是事业单位，是一家民营企业」 → 企业. A plain 公司 is left unsaid (the profile would
 * gain nothing the company did not say), and 「我们和清华大学合作」 names a partner.
 */
import type { FactReader, Finding } from "../reader.js";
import { asks, ours, WE } from "./cues.js";

type Kind = "企业" | "事业单位" | "高校" | "科研院所" | "社会组织" | "个人";

const IS = String.raw`(?:我们|我司|我们单位|本单位|我单位|咱们|我们这边)?(?:也|就|都|其实|本身)?(?:是|系|属于|作为)(?:一家|一所|一个|一间|家|所)?(?:[^，。；不没做给和与跟帮向对服]{0,14}?)`;
/** Each kind with the words that state it after 是 (or on their own, for the unmistakable ones). */
const KINDS: Array<[Kind, RegExp]> = [
  [
    "社会组织",
    new RegExp(
      String.raw`(?:${IS})(?:民办非企业单位|民非|社会团体|社会组织|基金会|行业协会|协会|学会|商会|产业联盟)(?![^，。；]{0,4}(?:会员|成员|理事|副会长|会长单位|发起))`,
    ),
  ],
  [
    "高校",
    new RegExp(
      String.raw`${IS}(?:大学|(?<!科)学院|高校|高等学校|高等院校)(?![^，。；]{0,8}?(?:企业|公司|校友|衍生|孵化|学生|毕业|创业|出来|老师|教授|创办|背景|科技园))|以(?:学校|高校|大学)(?:的)?名义|(?:我们学校|我校|本校)`,
    ),
  ],
  [
    "科研院所",
    new RegExp(
      String.raw`${IS}(?:研究所|研究院|科研院所|科研机构)(?![^，。；]{0,8}?(?:有限|股份|公司|企业|改制|转制|孵化|衍生))|(?:我所|本所|我院|本院)(?:是|作为|牵头|申报|的)`,
    ),
  ],
  ["事业单位", new RegExp(String.raw`(?<!不|并非|非)${IS}事业单位(?![^，。；]{0,8}?(?:改制|转制|下属|旗下|投资|控股|出资|创办|企业|公司))`)],
  ["企业", new RegExp(String.raw`${IS}(?:民营企业|国有企业|私营企业|国企|民企|私企|外企|外资企业|合资企业|股份制企业)`)],
  [
    "个人",
    /(?:我|本人)(?:是|只是|目前是|现在是)(?:一个|一名)?(?:个人|自然人|个体|自由职业者|独立开发者)|(?:还没|还没有|尚未|没)(?:注册|成立)(?:公司|企业)|以个人(?:的)?(?:名义|身份)/,
  ],
];

export const applicantReader: FactReader = {
  name: "applicant",
  read(ctx) {
    const out: Finding[] = [];
    for (const [kind, re] of KINDS) {
      for (const m of ctx.text.matchAll(new RegExp(re.source, "g"))) {
        const start = m.index!;
        if (!ours(ctx, start)) continue;
        const clause = ctx.clauseAt(start);
        const before = ctx.text.slice(clause.start, start);
        // 「我们不是事业单位」 denies a kind; 「如果我们是高校」 imagines one.
        if (
          /(?:不是|并非|不属于|非)$/.test(before) ||
          /^(?:不是|并非|不属于)/.test(m[0].replace(/^(?:我们|我司|咱们)/, "")) ||
          /如果|假如|假设|要是/.test(before)
        )
          continue;
        if (/(?:不是|并非|不属于)/.test(m[0])) continue;
        // 「申报主体必须是高校吗」 asks; 「发起人是高校老师」 names someone else.
        const subject = before + m[0];
        const own = WE.test(subject) || before.trim() === "" || /^(?:我|本人|以)/.test(m[0]) || /以(?:学校|高校|大学|个人)/.test(m[0]);
        if (!own || (asks(ctx, clause) && !WE.test(subject))) continue;
        out.push({ field: "applicantType", value: kind, start, end: start + m[0].length, reader: "applicant" });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
