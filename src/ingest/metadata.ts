import { isoDate } from "../lib/china-time.js";
import { completePath, levelOf, type PolicyLevel, parseRegion } from "../policies/region.js";

export type PolicyMetadata = {
  title: string;
  docNumber: string | null;
  issuer: string | null;
  region: string | null;
  regionPath: string[];
  level: PolicyLevel;
  publishedAt: string | null;
  applyStart: string | null;
  applyEnd: string | null;
  validUntil: string | null;
  source: string | null;
  status: "draft" | "active" | "expired" | "withdrawn" | null;
  tags: string[];
};

const DOC_NUMBER_CORE = String.raw`([\p{Script=Han}A-Za-z]{1,16})\s*[〔［\[【(（]\s*((?:19|20)\d{2})\s*[〕］\]】)）]\s*第?\s*(\d{1,4})\s*号`;
const DOC_NUMBER = new RegExp(DOC_NUMBER_CORE, "u");
/** A line that is nothing but a 文号 (京发改规〔2023〕12 号, 鄂科技发【2024】7号文件). */
const DOC_NUMBER_LINE = new RegExp(`^(?:(?:发文字号|文\\s*号|发文号)\\s*[:：]\\s*)?${DOC_NUMBER_CORE}(?:文件)?$`, "u");
/** 财政部 税务总局公告2026年第12号: announcements are numbered by year. */
const ANNOUNCEMENT_LINE = /^([\p{Script=Han}\s]{2,40}公告)\s*((?:19|20)\d{2})\s*年\s*第\s*(\d{1,4})\s*号$/u;
/** A title that carries its own number: 关于印发…的通知（京科发〔2023〕3号）, or 关于…的通知 京科发〔2023〕3号 on one line. */
const DOC_NUMBER_IN_TITLE = new RegExp(
  `(?:通知|办法|意见|细则|规定|决定|函|方案|措施)(?:\\s*[(（]\\s*${DOC_NUMBER_CORE}\\s*[)）]|\\s+${DOC_NUMBER_CORE})$`,
  "u",
);
const DOC_NUMBER_LABEL = /^(?:发文字号|文\s*号|发文号)\s*[:：]?$/;

/** Lines of text; a web page's info bar (文号：… | 发布机构：…　发布日期：…) gives one line per field. */
const textLines = (text: string) =>
  text
    .split("\n")
    .flatMap((l) => l.split(/\s+[|｜]\s+|\s+(?=[\p{Script=Han}]{2,6}\s*[:：])/u))
    .map((l) => l.trim())
    .filter(Boolean);

/** [prefix, year, number] → 京发改规〔2023〕12号 */
const formatDocNumber = ([prefix, year, n]: string[]) => `${prefix}〔${year}〕${Number(n)}号`;

/**
 * A document's own 文号, where government documents put it: on a line of its own
 * under the title (or after a 文号： label), or in parentheses after the title.
 * A 文号 cited in running text (按照《…》(京民福发〔2018〕419号)) names another
 * document, so it is never taken.
 */
export function extractDocNumber(text: string): string | null {
  const lines = textLines(text).slice(0, 40);
  for (const [i, line] of lines.entries()) {
    const value = DOC_NUMBER_LABEL.test(line) ? (lines[i + 1] ?? "") : line;
    const m = DOC_NUMBER_LINE.exec(value) ?? DOC_NUMBER_IN_TITLE.exec(value);
    if (m) return formatDocNumber(m.slice(1).filter(Boolean));
    const a = ANNOUNCEMENT_LINE.exec(value);
    if (a) return `${a[1].replace(/\s+/g, " ").trim()}${a[2]}年第${Number(a[3])}号`;
  }
  return null;
}

const CN_DATE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const ISO_DATE = /((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})/;

export function parseDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = CN_DATE.exec(text) ?? ISO_DATE.exec(text);
  if (!m) return null;
  // 2月30日 is no date: unknown, never a value the database would refuse.
  return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const DATE_ANY = String.raw`(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}`;
const MONTH_DAY = String.raw`\d{1,2}\s*月\s*\d{1,2}\s*日`;
const WINDOW = new RegExp(
  `(申报|受理|申请|报名|提交)[^。\\n]{0,30}?(${DATE_ANY})[^。\\n\\d]{0,6}?(?:至|到|—|－|-|~|～)\\s*((?:${DATE_ANY})|${MONTH_DAY})`,
  "u",
);
const DEADLINE = new RegExp(`(?:截止(?:日期|时间)?|截至|于)\\s*[:：]?\\s*(${DATE_ANY})\\s*(?:前|止|截止|\\d{1,2}\\s*[:：时])?`, "u");

/** The application window a policy text states (申报时间：2026年3月1日至4月30日). */
export function extractApplicationWindow(text: string): { start: string | null; end: string | null } {
  const w = WINDOW.exec(text);
  if (w) {
    const start = parseDate(w[2]);
    let endText = w[3];
    // The end's year is the start's, as written (a start that is no real date still names its year).
    if (!/年/.test(endText) && !ISO_DATE.test(endText)) endText = `${/(?:19|20)\d{2}/.exec(w[2])![0]}年${endText}`;
    return { start, end: parseDate(endText) };
  }
  const section = /(申报时间|受理时间|申报截止|截止时间)[\s\S]{0,120}/.exec(text);
  const d = DEADLINE.exec(section?.[0] ?? "");
  return { start: null, end: d ? parseDate(d[1]) : null };
}

/** Labels whose value is the issuing body, on the same line or the next. */
const ISSUER_LABEL = /^(?:发布机关|发文机关|发布机构|发文机构|发布单位|发文单位|制发机关)\s*[:：]\s*(.{0,80})$/;
const ORG_NAME = /^[\p{Script=Han}（）()]{2,40}(?:人民政府|办公厅|办公室|委员会|管委会|局|厅|部|署|院|中心|协会|总局|小组|基金|管理部)$/u;
const DATE_TEXT = String.raw`(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}-\d{1,2}-\d{1,2}`;
/** A signature date: the date alone on its line, perhaps with 印发/发布 after it. */
const DATE_ONLY = new RegExp(`^[(（]?(${DATE_TEXT})\\s*(?:印发|发布|制发|起草)?[)）]?$`, "u");
const PUBLISHED_LABEL = /^(?:发布日期|发文日期|成文日期|印发日期|发布时间|发表时间|发文时间|印发时间|成文时间|公布日期|日期)\s*[:：]\s*(.{0,40})$/;
/** A law's history under its title: 2018年5月24日 …会议通过/修正/修订/批准, …国务院令第331号公布. */
const ENACTMENT_LINE = new RegExp(`^[(（]?(${DATE_TEXT})\\s*\\S.*(?:通过|修正|修订|公布|批准)`, "u");
const TITLE_HINT = /(办法|通知|细则|措施|意见|规定|条例|方案|指南|政策|若干|公告|决定|规则|计划|法)$/;
const CHROME_LINE = /首页|>|＞|当前位置/;

/** The value of a label line, which web pages often put on the line after the label. */
function labelled(lines: string[], label: RegExp): string | null {
  for (const [i, line] of lines.entries()) {
    const m = label.exec(line);
    if (!m) continue;
    const value = (m[1] ?? "").trim() || (lines[i + 1] ?? "").trim();
    if (value) return value;
  }
  return null;
}

/** Names of one or more bodies on one line (武汉市科技创新局 武汉市财政局), or null if the line is anything else. */
function orgNames(line: string): string[] | null {
  const parts = line.split(/[\s、]+/).filter(Boolean);
  return parts.length && parts.every((p) => ORG_NAME.test(p) && !/的/.test(p)) ? parts : null;
}

/**
 * The signature block (落款): the issuing bodies on the lines just above the
 * date, or on the date's own line before it. The first one is the document's
 * own; an attachment after it follows.
 */
function signature(lines: string[]): { issuer: string; date: string | null } | null {
  for (const [i, line] of lines.entries()) {
    const alone = DATE_ONLY.exec(line);
    if (alone) {
      const names: string[] = [];
      for (let j = i - 1; j >= Math.max(0, i - 4); j--) {
        const found = orgNames(lines[j]);
        if (!found) break;
        names.unshift(...found);
      }
      if (names.length) return { issuer: names.join("、"), date: parseDate(alone[1]) };
      continue;
    }
    const inline = new RegExp(`^(.+?)\\s+(${DATE_TEXT})\\s*(?:印发|发布)?$`, "u").exec(line);
    const names = inline && orgNames(inline[1]);
    if (inline && names) return { issuer: names.join("、"), date: parseDate(inline[2]) };
  }
  return null;
}

const stripTrailingParen = (l: string) => l.replace(/[（(][^（）()]*[）)]$/, "");
/** A line that can go on a title broken across lines: short, no sentence punctuation, no 文号, date or heading. */
const continues = (l: string) =>
  l.length <= 30 &&
  !/[。，；：:,;]/.test(l) &&
  !DOC_NUMBER.test(l) &&
  !CN_DATE.test(l) &&
  !/^(?:第[一二三四五六七八九十百]+[章条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/.test(l) &&
  !CHROME_LINE.test(l);

export function guessTitle(lines: string[]): string | null {
  const top = lines.slice(0, 15).map((l) => l.trim().replace(/^#+\s*/, ""));
  const usable = (l: string) => l.length >= 6 && l.length <= 80 && !CHROME_LINE.test(l) && !DOC_NUMBER.test(l);
  for (const [i, line] of top.entries()) {
    if (!usable(line)) continue;
    // A title the page or PDF broke across lines: the longest run of up to three lines that reads as a title.
    let best: string | null = TITLE_HINT.test(stripTrailingParen(line)) ? line : null;
    let joined = line;
    for (let k = i + 1; k < Math.min(top.length, i + 3) && continues(top[k]); k++) {
      joined += top[k];
      if (joined.length > 80) break;
      if (TITLE_HINT.test(stripTrailingParen(joined))) best = joined;
    }
    if (best && !(/关于印发/.test(best) && !/通知$/.test(best))) return best;
  }
  return top.find((l) => usable(l) && !CN_DATE.test(l)) ?? null;
}

/**
 * 关于印发《X》的通知: the policy is X, the document the notice issues, when the
 * text carries X as a heading of its own.
 */
function issuedDocument(title: string, lines: string[]): string {
  const m = /关于印发《?(.+?)》?的通知$/.exec(title);
  if (!m) return title;
  return lines.some((l) => l.replace(/^#+\s*/, "") === m[1]) ? m[1] : title;
}

function guessIssuer(lines: string[], signed: ReturnType<typeof signature>): string | null {
  const named = labelled(lines, ISSUER_LABEL);
  if (named) return named;
  // A web page's 信息来源 names the office that posted it, often abbreviated, not the issuer: never taken.
  return signed?.issuer ?? null;
}

function guessPublished(lines: string[], signed: ReturnType<typeof signature>): string | null {
  const stated = labelled(lines, PUBLISHED_LABEL);
  if (stated && parseDate(stated)) return parseDate(stated);
  if (signed) return signed.date;
  // A law: the latest of the dates it was adopted, amended or approved, listed before its first article.
  const firstArticle = lines.findIndex((l) => /^(?:#+\s*)?第[一二三四五六七八九十百]+[章条]/.test(l));
  const history = lines
    .slice(0, firstArticle < 0 ? 12 : Math.min(firstArticle, 20))
    .filter((l) => ENACTMENT_LINE.test(l))
    // One line may list several amendments (…通过 根据1993年7月…修正 根据2021年9月29日…修正).
    .flatMap((l) =>
      [...l.matchAll(new RegExp(DATE_TEXT, "gu"))].map((d, k, all) => ({ date: parseDate(d[0]), approval: k === all.length - 1 && /会议批准(?!的)/.test(l) })),
    )
    .filter((h): h is { date: string; approval: boolean } => h.date !== null)
    .sort((a, b) => a.date.localeCompare(b.date));
  // A regulation approved by the level above is published after the approval, on a day its text does not state.
  if (history.length) return history.at(-1)!.approval ? null : history.at(-1)!.date;
  const alone = [...lines.slice(-12).reverse(), ...lines.slice(0, 10)].map((l) => DATE_ONLY.exec(l)?.[1]).find(Boolean);
  if (alone) return parseDate(alone);
  // A policy card (【时间/频度】2022年8月11日起，有效期3年) dates the policy by the day it takes effect, and by nothing else.
  const effective = CARD_EFFECTIVE.exec(lines.join("\n"))?.[1];
  return effective ? parseDate(effective) : null;
}
const CARD_EFFECTIVE = new RegExp(`【时间/频度】\\s*(?:从|自)?\\s*(${DATE_TEXT})\\s*(?:起|开始)`, "u");

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null);
const date = (v: unknown): string | null => (v instanceof Date ? (Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10)) : parseDate(str(v)));

/** Metadata from front matter when present, otherwise read from the text itself. */
export function extractMetadata(text: string, meta: Record<string, unknown> = {}, hints: { title?: string; fileName?: string } = {}): PolicyMetadata {
  const lines = textLines(text);
  const guessed = hints.title ?? guessTitle(lines);
  const title = str(meta.title) ?? (guessed ? issuedDocument(guessed, lines) : null) ?? hints.fileName ?? "未命名政策";
  const signed = signature(lines);
  const issuer = str(meta.issuer) ?? guessIssuer(lines, signed);
  const window = extractApplicationWindow(text);
  const source = str(meta.source) ?? str(meta.source_url) ?? str(meta.url) ?? null;
  const region = str(meta.region) ?? inferRegion(`${issuer ?? ""} ${title}`);
  const regionPath = refinedByTitle(parseRegion(region), title);
  const statusRaw = str(meta.status);
  const tags = Array.isArray(meta.tags) ? meta.tags.map(String) : [];
  return {
    title,
    docNumber: str(meta.doc_no) ?? str(meta.docNumber) ?? extractDocNumber(text),
    issuer,
    region,
    regionPath,
    level: (str(meta.level) as PolicyLevel | null) ?? levelOf(regionPath),
    publishedAt: date(meta.date) ?? date(meta.published) ?? guessPublished(lines, signed),
    applyStart: date(meta.apply_start) ?? window.start,
    applyEnd: date(meta.apply_end) ?? date(meta.deadline) ?? window.end,
    validUntil: date(meta.valid_until) ?? date(meta.expires),
    source,
    status: statusRaw && ["draft", "active", "expired", "withdrawn"].includes(statusRaw) ? (statusRaw as PolicyMetadata["status"]) : null,
    tags,
  };
}

/**
 * A province's regulation names its city in the title when the city made it
 * (region 河南, 《郑州市科学技术投入条例》): the city is the region, one level down.
 */
function refinedByTitle(stated: string[], title: string): string[] {
  if (stated.length !== 1 || levelOf(stated) !== "provincial") return stated;
  const named = parseRegion(inferRegion(title));
  // Only a city known to lie in that province (河南省技术市场条例 names no city).
  return named.length === 2 && named[0] === stated[0] && completePath([named[1]]).join() === named.join() ? named : stated;
}

const REGION_IN_TEXT =
  /^(?:中共)?((?:[\p{Script=Han}]{2,4}(?:省|自治区))?(?:[\p{Script=Han}]{2,4}市)?(?:[\p{Script=Han}]{2,8}?(?:新技术开发区|高新区|区|县))?)/u;

/** Region from an issuer or title ("武汉市科学技术局" → 武汉市); national bodies → 全国. */
export function inferRegion(text: string): string | null {
  const t = text.trim();
  if (/^(国务院|国家|科技部|财政部|工业和信息化部|全国|中华人民共和国|税务总局|国家税务总局)/.test(t)) return "全国";
  const m = REGION_IN_TEXT.exec(t.replace(/^武汉东湖/, "武汉市东湖"));
  const found = m?.[1];
  return found && found.length >= 2 ? found : null;
}
