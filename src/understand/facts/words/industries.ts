/**
 * The company's industries in its own words: 「做AI医疗影像」 → AI医疗影像, 「张江这边的生物医药
 * 企业」 → 生物医药, 「属于新材料行业」 → 新材料. A name before 企业/公司 counts only when it
 * names a trade (生物医药企业, not 上市公司 or 民营企业); AI is also given as 人工智能, the
 * word policies use. Someone else's business (给华为做配套) and plans (想转型做储能) are left out.
 */
import { anyOf, fieldsOf, QUALIFICATION_STEMS } from "../../../policies/vocabulary.js";
import type { FactReader, Finding } from "../reader.js";
import { INTENT, ours } from "./cues.js";

const WORD = String.raw`[\p{Script=Han}A-Za-z0-9+\-]`;
/** 做X, 从事X, 专注于X, 主营X. */
const DOING = new RegExp(
  String.raw`(?:主要|专门|专业)?(?:属于|主营业务(?:是|为|包括)?|主要业务(?:是|为)?|业务方向(?:是|为)?|所属行业(?:是|为|:|：)?|行业(?::|：)|做|从事|专注于?|聚焦于?|深耕|主营|主打|研发和生产|研发生产)(?:的是)?(?:一些)?(?<x>${WORD}{2,16}?)(?=的|[，。；、,.!?！？\s]|$|(?:等)?(?:行业|领域|方向|赛道|板块|业务|产品|解决方案|服务商|企业|公司|相关))`,
  "gu",
);
/** X企业, X公司, X行业 after 的/是/一家. */
const NAMED = new RegExp(
  String.raw`(?:(?:的|是|属于)(?:一家|一个)?|一家|一个)(?<x>(?:(?![的做是])${WORD}){2,10}?)(?:类|型)?(?:企业|公司|行业|领域|厂商|厂家)`,
  "gu",
);
/** Not trades: kinds of company, qualifications, sizes. */
const NOT_TRADE = new RegExp(
  String.raw`上市|挂牌|民营|国有|私营|外资|合资|股份|有限|新|小|大|中小|小微|初创|创业|${anyOf(QUALIFICATION_STEMS)}|这家|那家|一家|我们|我司|本地|当地|龙头|头部|规上|规模|配套|生意|项目|事情|东西|业务|产品|服务|技术|研发|工作|政策|申报`,
);
const TRADE_HINT =
  /科技|技术|生物|医药|医疗|器械|诊断|软件|材料|能源|智能|电子|信息|网络|数据|装备|制造|芯片|半导体|集成电路|机器人|环保|化工|汽车|通信|光电|激光|航空|航天|农业|食品|文化|传媒|游戏|设计|咨询|检测|物流|电商|金融|教育|互联网|AI|ai|IT|算力|语音|视觉|影像|传感|新能源|储能|光伏|氢能|显示|精密|仪器|化学|制药|疫苗|基因|细胞|无人机|卫星|安防|云|平台/;
/** What 做 can take that is not a trade: 做配套, 做研发, 做什么. */
const GENERIC = /^(?:配套|生意|项目|事情|东西|业务|产品|服务|技术|研发|工作|政策|申报|这个|那个|一些|外包|代理)$|什么|哪些|多少|怎么/;
/** A name that is wholly a trade's and nothing else. */
const isTrade = (x: string) => !NOT_TRADE.test(x.replace(/^(?:人工智能|智能|新能源|新材料|生物|医疗)/, "")) && (TRADE_HINT.test(x) || fieldsOf(x).length > 0);

export const industriesReader: FactReader = {
  name: "industries",
  read(ctx) {
    const out: Finding[] = [];
    const push = (x: string, start: number) => {
      const names = [x, ...(/(?:^|[^A-Za-z])AI(?:$|[^A-Za-z])|^AI/i.test(x) && !/人工智能/.test(x) ? ["人工智能"] : [])];
      out.push({ field: "industries", value: names, start, end: start + x.length, reader: "industries" });
    };
    for (const re of [DOING, NAMED]) {
      for (const m of ctx.text.matchAll(re)) {
        const x = m.groups!.x;
        const start = m.index! + m[0].indexOf(x);
        if (!ours(ctx, start)) continue;
        const clause = ctx.clauseAt(start);
        const before = ctx.text.slice(clause.start, m.index!);
        if (INTENT.test(before) || /给|帮|替|为(?!主)|转型|客户|打算/.test(before)) continue;
        // 属于 takes kinds of company too (属于科技型中小企业): only a trade counts.
        const strict = re === NAMED || m[0].startsWith("属于");
        if (strict ? !isTrade(x) || /[的做是]/.test(x) : GENERIC.test(x)) continue;
        if (out.some((f) => f.start < start + x.length && start < f.end)) continue;
        push(x, start);
      }
    }
    return out;
  },
};
