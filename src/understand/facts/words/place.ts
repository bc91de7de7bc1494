/**
 * Where the company is registered, down to its park: 「我们在海淀」, 「公司注册在苏州工业园区」,
 * 「张江这边的生物医药企业」, 「我们是江苏无锡的」. A place is the company's only when the
 * words around it say so (在/位于/注册在…, 我们是X的, X的企业): 「北京有什么政策」 names
 * the policy's region, 「想了解上海张江」 a place of interest, 「客户在上海」 a customer's.
 * A registered address (注册在) beats the address now (现在在, 搬到了), which beats one
 * merely named; an office (办公在) is never the address. Places on other branches of the
 * tree than the first one read are dropped.
 */
import { pinyin } from "pinyin-pro";
import {
  canonicalPlace,
  completePath,
  districtOfPark,
  findPlaces,
  isMunicipality,
  type PlaceMention,
  placeLevel,
  placeNames,
} from "../../../policies/region.js";
import type { FactContext, FactReader, Finding } from "../reader.js";
import { asks, INTENT, ours, SELF } from "./cues.js";

type Region = { province?: string; city?: string; district?: string; park?: string };
type Group = { mentions: PlaceMention[]; start: number; end: number };
type Role = "registered" | "current" | "plain" | "office";

const LOCATIVE =
  /(?:在|位于|落户(?:在|于)?|注册(?:于|在|地(?:是|在|为)?)|地处|坐落(?:于|在)|总部(?:设)?(?:在|位于)?|设在|搬到了?|迁到了?|入驻(?:了|在|于)?|扎根(?:在|于)?|地址(?:是|在|为|:|：)?|坐标|具体(?:是|在)|迁到了?|based\s+in|located\s+in|in)\s*(?:中国)?\s*$/i;
const SELF_IS = /(?:我们|我司|我公司|本公司|咱们|本单位|我单位|公司|企业|单位)(?:这边|这里)?(?:也|就|都)?(?:是|属于)(?:一家|一个|一所)?\s*$/;
const DESCRIBES = /^(?:这边|这里|本地)?的?(?:一家|一个|一所)?[^，。；]{0,14}?(?:企业|公司|单位|研究所|研究院|机构|团队|高校|大学)/;
const REGISTERED_AFTER = /^(?:是)?(?:我们|我司|公司)?的?(?:注册地|所在地|注册)/;
const CORRECTION =
  /^(?:不对|不是的|哦|噢|对了|抱歉|其实|应该|准确说|准确地说|更正一下|纠正一下|说错了|搞错了|[，,\s])*(?:应该|其实|实际上?|准确说)?(?:是|在|改为|改成|换成)\s*$/;
const OFFICE = /办公|研发中心|工厂|厂房|生产基地|门店|分部|分公司|子公司|办事处/;
/** A city or province short name followed by a zone of its own: 西安高新区, 成都经开区. */
const ZONE = /^(?:市)?(高新技术产业开发区|高新区|经济技术开发区|经开区|经济开发区|开发区|综合保税区|自贸区)/;

/** Places next to each other (「北京海淀」, 「浦东 张江」) are read as one address. */
function groups(ctx: FactContext): Group[] {
  // 「上海南京路」: a street named after a place is not that place.
  const exact = findPlaces(ctx.text);
  const mentions = [...exact, ...zones(ctx), ...misspelt(ctx, exact)]
    .filter((m) => !/^(?:[东西南北中]?路|大街|大道|街)/.test(ctx.text.slice(m.end)))
    .sort((a, b) => a.start - b.start);
  const out: Group[] = [];
  for (const m of mentions) {
    const last = out[out.length - 1];
    if (last && /^[\s,、]?(?:市|省)?$/.test(ctx.text.slice(last.end, m.start)) && ctx.clauseAt(m.start).start === ctx.clauseAt(last.start).start) {
      last.mentions.push(m);
      last.end = m.end;
    } else out.push({ mentions: [m], start: m.start, end: m.end });
  }
  return out;
}

const sounds = new Map<string, string[]>();
const soundsOf = (ch: string) => {
  let s = sounds.get(ch);
  if (!s) sounds.set(ch, (s = pinyin(ch, { toneType: "none", type: "array", multiple: true })));
  return s;
};
const sameSound = (a: string, b: string) => soundsOf(a).some((s) => soundsOf(b).includes(s));

/**
 * Place names typed by sound (「朝杨区」 → 朝阳区, 「浦东张将」 → 张江): one character after the
 * first differs and sounds the same. Only where a place is expected: right after a place
 * or a word like 在, and before 区/县 or the end of the clause, so 「北京大型企业」 stays 大型.
 */
function misspelt(ctx: FactContext, exact: PlaceMention[]): PlaceMention[] {
  const out: PlaceMention[] = [];
  const covered = (i: number) => exact.some((m) => i >= m.start && i < m.end);
  for (const prev of [...exact.map((m) => m.end), ...[...ctx.text.matchAll(/(?:在|位于|注册在|落户)/g)].map((m) => m.index! + m[0].length)]) {
    if (covered(prev)) continue;
    for (const [name, canonical] of placeNames()) {
      if (!/^\p{Script=Han}{2,}$/u.test(name) || name.length > 5) continue;
      const window = ctx.text.slice(prev, prev + name.length);
      if (
        window.length !== name.length ||
        window[0] !== name[0] ||
        !/^(?:[区县，。；、！？,.\s]|这边|那边|的|$)/.test(ctx.text.slice(prev + name.length) || "。")
      )
        continue;
      const diff = [...name].map((ch, i) => (ch === window[i] ? -1 : i)).filter((i) => i >= 0);
      if (diff.length !== 1 || !/\p{Script=Han}/u.test(window[diff[0]]) || !sameSound(name[diff[0]], window[diff[0]])) continue;
      out.push({ name: window, canonical, start: prev, end: prev + name.length });
      break;
    }
  }
  return out;
}

function zones(ctx: FactContext): PlaceMention[] {
  const out: PlaceMention[] = [];
  for (const m of findPlaces(ctx.text)) {
    if (placeLevel(m.canonical) !== "city" || isMunicipality(m.canonical)) continue;
    const zone = ZONE.exec(ctx.text.slice(m.end));
    if (!zone) continue;
    const short = m.canonical.replace(/市$/, "");
    const name = canonicalPlace(short + (zone[1] === "经开区" ? "经济技术开发区" : zone[1]));
    // The zone replaces the city's own mention: the path of a park still gives its city.
    out.push({ name: ctx.text.slice(m.start, m.end + zone[0].length), canonical: name, start: m.end, end: m.end + zone[0].length });
  }
  return out;
}

function roleOf(ctx: FactContext, g: Group): Role | null {
  const clause = ctx.clauseAt(g.start);
  if (!ours(ctx, g.start)) {
    // 「我们在海淀有什么补贴」: the clause is about a policy, the place still the company's.
    if (ctx.ownerAt(g.start) !== "policy" || !/(?:我们|我司|公司|企业)(?:现在|目前)?(?:在|位于)\s*$/.test(ctx.text.slice(clause.start, g.start))) return null;
  }
  const before = ctx.text.slice(clause.start, g.start);
  const after = ctx.text.slice(g.end, clause.end);
  // 「打算去苏州」, 「之前在海淀」, 「不在徐汇」: a plan, a past address, a denial.
  if (INTENT.test(before) || /之前|以前|原来|曾经|过去|(?:不在|不是|并非|没在|而不是)\s*$/.test(before)) return null;
  const registered = /注册/.test(before) || REGISTERED_AFTER.test(after);
  const office = OFFICE.test(before) || /^(?:是)?(?:我们|我司|公司)?的?(?:办公|研发|生产)|^办公/.test(after);
  // 「刚搬到朝阳」, 「现在在昌平」: the address now, over one merely named.
  const current = /现在|目前|如今|搬到|迁到|搬去|迁往|搬迁到/.test(before);
  const role: Role = registered ? "registered" : office ? "office" : current ? "current" : "plain";
  if (LOCATIVE.test(before) || SELF_IS.test(before)) return role;
  // A correction: 「不是海淀，是朝阳」, 「应该是黄埔」, 「是朝阳不是海淀」.
  if (CORRECTION.test(before) && /^(?:区|的)?\s*(?:(?:而)?不是\S*)?$/.test(after)) return role;
  if (REGISTERED_AFTER.test(after) || /^(?:是)?(?:我们|我司|公司)的?(?:办公|研发|生产)/.test(after)) return role;
  if (DESCRIBES.test(after) && !asks(ctx, clause)) return role;
  // 「我们苏州这边」: the place right after the company's own name for itself.
  if (/(?:我们|我司|我们公司|本公司)$/.test(before) && /^(?:这边|这里|本地)/.test(after) && !asks(ctx, clause)) return role;
  // A clause that is only a place (「南京江宁」) in a message where the company speaks of itself.
  const alone = !ctx.text
    .slice(clause.start, clause.end)
    .replace(ctx.text.slice(g.start, g.end), "")
    .replace(/这边|这里|那边|那里|一带|附近|的|\s/g, "");
  if (alone && SELF.test(ctx.text) && !asks(ctx, clause)) return role;
  return null;
}

function regionOf(g: Group): Region {
  const region: Region = {};
  for (const m of g.mentions) {
    const own: Region = {};
    for (const p of completePath([m.canonical])) {
      if (isMunicipality(p)) own.province = own.city = p;
      else own[placeLevel(p)] = p;
    }
    const district = districtOfPark(m.canonical);
    if (district && placeLevel(m.canonical) === "park") own.district = district;
    // 「上海滨江」: a short name that belongs to another city (杭州滨江区) is not read there.
    if (agree(region, own)) Object.assign(region, { ...own, ...region });
  }
  return region;
}

/** Two readings of one address: every level both name is the same. */
function agree(a: Region, b: Region): boolean {
  return (["province", "city", "district", "park"] as const).every((k) => !a[k] || !b[k] || a[k] === b[k]);
}

export const placeReader: FactReader = {
  name: "place",
  read(ctx) {
    const read = groups(ctx)
      .map((g) => ({ g, role: roleOf(ctx, g), region: regionOf(g) }))
      .filter((r): r is { g: Group; role: Role; region: Region } => r.role !== null);
    const preferred = (["registered", "current", "plain"] as const).map((role) => read.filter((r) => r.role === role)).find((rs) => rs.length) ?? [];
    const region: Region = {};
    const used: Group[] = [];
    for (const r of preferred) {
      if (!agree(region, r.region)) continue;
      Object.assign(region, { ...r.region, ...region });
      used.push(r.g);
    }
    if (!used.length) return [];
    const start = Math.min(...used.map((g) => g.start));
    const end = Math.max(...used.map((g) => g.end));
    return (["province", "city", "district", "park"] as const)
      .filter((k) => region[k])
      .map((k): Finding => ({ field: `region.${k}`, value: region[k]!, start, end, reader: "place" }));
  },
};
