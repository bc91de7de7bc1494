import { isoDate } from "../lib/china-time.js";
import { levelOf, parseRegion, type PolicyLevel } from "../policies/region.js";

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

const DOC_NUMBER =
  /([\p{Script=Han}A-Za-z]{1,16})\s*[〔［\[【(（]\s*((?:19|20)\d{2})\s*[〕］\]】)）]\s*第?\s*(\d{1,4})\s*号/u;

/** 文号 such as 京发改规〔2023〕12 号 → 京发改规〔2023〕12号 (brackets and spacing normalised). */
export function extractDocNumber(text: string): string | null {
  const m = DOC_NUMBER.exec(text.slice(0, 4000));
  if (!m) return null;
  // "关于印发…的通知 京科发〔2023〕3号": keep only the issuing code's tail that is the prefix.
  const prefix = m[1].replace(/^.*?(?:通知|办法|意见|细则|规定|决定|函)/u, "");
  return `${prefix || m[1]}〔${m[2]}〕${Number(m[3])}号`;
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

const ISSUER_LINE = /^(?:发布机关|发文机关|发布单位|发文单位|制发机关|信息来源|来源)\s*[:：]\s*(.{2,60})$/m;
const ISSUER_NAME = /^[\p{Script=Han}（）()、\s]{3,60}(?:人民政府|办公厅|办公室|委员会|管委会|局|厅|部|署|院|中心|协会|总局)$/u;
const DATE_LINE_KEYS = /^(?:发布日期|发文日期|成文日期|印发日期|发布时间|公布日期|日期)\s*[:：]\s*(.+)$/m;
const TITLE_HINT = /(办法|通知|细则|措施|意见|规定|条例|方案|指南|政策|若干|公告|决定|规则|计划|法)$/;

export function guessTitle(lines: string[]): string | null {
  const candidates = lines.slice(0, 15).map((l) => l.trim().replace(/^#+\s*/, "")).filter((l) => l.length >= 6 && l.length <= 80 && !/首页|>|＞|当前位置/.test(l));
  const hinted = candidates.find((l) => TITLE_HINT.test(l.replace(/[（(].*?[）)]$/, "")) && !DOC_NUMBER.test(l));
  return hinted ?? candidates.find((l) => !DOC_NUMBER.test(l) && !CN_DATE.test(l)) ?? null;
}

function guessIssuer(lines: string[], text: string): string | null {
  const labelled = ISSUER_LINE.exec(text)?.[1]?.trim();
  if (labelled) return labelled;
  // Signature block: an office name followed by the date, near the end or under the title.
  const search = [...lines.slice(-12).reverse(), ...lines.slice(0, 8)];
  return search.map((l) => l.trim()).find((l) => ISSUER_NAME.test(l) && l.length <= 40 && !/顶部|首页/.test(l)) ?? null;
}

function guessPublished(lines: string[], text: string): string | null {
  const labelled = DATE_LINE_KEYS.exec(text)?.[1];
  if (labelled && parseDate(labelled)) return parseDate(labelled);
  const tail = lines.slice(-12).reverse().find((l) => /^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$/.test(l));
  if (tail) return parseDate(tail);
  const head = lines.slice(0, 10).find((l) => CN_DATE.test(l) || ISO_DATE.test(l));
  return head ? parseDate(head) : null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null);
const date = (v: unknown): string | null =>
  v instanceof Date ? (Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10)) : parseDate(str(v));

/** Metadata from front matter when present, otherwise read from the text itself. */
export function extractMetadata(
  text: string,
  meta: Record<string, unknown> = {},
  hints: { title?: string; fileName?: string } = {},
): PolicyMetadata {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const title = str(meta.title) ?? hints.title ?? guessTitle(lines) ?? hints.fileName ?? "未命名政策";
  const issuer = str(meta.issuer) ?? guessIssuer(lines, text);
  const window = extractApplicationWindow(text);
  const source = str(meta.source) ?? str(meta.source_url) ?? str(meta.url) ?? null;
  const region = str(meta.region) ?? inferRegion(`${issuer ?? ""} ${title}`);
  const regionPath = parseRegion(region);
  const statusRaw = str(meta.status);
  const tags = Array.isArray(meta.tags) ? meta.tags.map(String) : [];
  return {
    title,
    docNumber: str(meta.doc_no) ?? str(meta.docNumber) ?? extractDocNumber(text),
    issuer,
    region,
    regionPath,
    level: (str(meta.level) as PolicyLevel | null) ?? levelOf(regionPath),
    publishedAt: date(meta.date) ?? date(meta.published) ?? guessPublished(lines, text),
    applyStart: date(meta.apply_start) ?? window.start,
    applyEnd: date(meta.apply_end) ?? date(meta.deadline) ?? window.end,
    validUntil: date(meta.valid_until) ?? date(meta.expires),
    source,
    status: statusRaw && ["draft", "active", "expired", "withdrawn"].includes(statusRaw) ? (statusRaw as PolicyMetadata["status"]) : null,
    tags,
  };
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
