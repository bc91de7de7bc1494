import { z } from "zod";
import type { Company } from "../company.js";
import { parseNumber } from "../quantity.js";
import { type ConditionKind, quote, typeOf } from "./kind.js";

/**
 * What a dated condition is about. A company's date speaks to it only when the words
 * after the date name an event of the same kind («2023年9月竣工验收» for «近2年内完成竣工验收»).
 */
const EVENTS = {
  contract: /签订|签约|签署/,
  publication: /发布|公布/,
  finish: /竣工|建成|完工|建设完成|投入(?:实际)?(?:使用|运行|运营)|投用|验收/,
  start: /开工|启动|开始建设|动工/,
  open: /开业|开设|新开|开店|开街/,
  build: /建设/,
  founding: /成立|注册|登记|设立/,
} as const;
type Event = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as Event[];
// A building period («建设时间…之间») is spoken to by the start, the finish or the building itself.
const SPEAKS_TO: Record<Event, Event[]> = {
  contract: ["contract"],
  publication: ["publication"],
  finish: ["finish"],
  start: ["start", "build"],
  open: ["open"],
  build: ["build", "start", "finish"],
  founding: ["founding"],
};

export const DatedSchema = z.object({
  type: typeOf("dated", "When an event of the application happened: a contract signed, a project built, a standard published"),
  event: z
    .enum(EVENT_NAMES as [Event, ...Event[]])
    .describe(
      "contract, publication, finish (completed or put into use), start, open (a shop or street opened), build (the building period), founding (the applicant registered)",
    ),
  from: z.string().optional().describe("Earliest day, ISO (inclusive)").meta({ example: "2023-01-01" }),
  to: z.string().optional().describe("Latest day, ISO (inclusive)").meta({ example: "2023-11-30" }),
  withinYears: z.number().optional().describe("At most this many years before the day of judging («近2年内»)"),
  lastYear: z.boolean().optional().describe("In the calendar year before the day of judging («于上一年度正式发布»)"),
});
type Dated = z.infer<typeof DatedSchema>;

const N = "(\\d+|[一二两三四五六七八九十])";
// «在 2023 年 1 月 1 日至 11 月 30 日期间», «2022 年 7 月 1 日至 2023 年 6 月 30 日之间».
const RANGE = /((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?:（含）)?(?:至|到|—|－|-)(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日(?:（含）)?(?:期间|之间|内)?/;
// «2020 年 4 月 15 日前…登记、注册的», «2021 年 11 月 1 日（含）以后…新开设»: one bound, the event after it.
const BOUND = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?\s*(?:（含）)?\s*(以后|之后|后|起|以来|以前|之前|前)\s*(?:（含）|（不含）)?/;
const WITHIN = new RegExp(`近${N}年内?`);
const LAST_YEAR = /(?:于|在)?上一?(?:个)?(?:年度|年)(?:内)?(?:正式)?(?:发布|公布|实施|建成|完成|竣工|签订)/;

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const eventIn = (words: string): Event | undefined => EVENT_NAMES.find((e) => EVENTS[e].test(words));

/** A window on when something was signed, built or published: a range of days, the last N years, the year before. */
export const dated: ConditionKind<Dated> = {
  type: "dated",
  schema: DatedSchema,
  read(clause) {
    const c = clause.unbracketed;
    const range = RANGE.exec(c);
    if (range) {
      const event = eventIn(c.slice(range.index + range[0].length, range.index + range[0].length + 16)) ?? eventIn(c.slice(0, range.index));
      if (!event) return [];
      const [y1, m1, d1, y2, m2, d2] = range.slice(1).map((x) => (x ? Number(x) : undefined));
      return [{ type: "dated", event, from: iso(y1!, m1!, d1!), to: iso(y2 ?? y1!, m2!, d2!) }];
    }
    // «（含）» says whether the day itself is in: read on the clause with its brackets.
    const bound = BOUND.exec(clause.text);
    if (bound) {
      const event = eventIn(clause.text.slice(bound.index + bound[0].length, bound.index + bound[0].length + 24).split(/[。；;]/)[0]);
      if (event) {
        const [y, m, d] = [Number(bound[1]), Number(bound[2]), bound[3] ? Number(bound[3]) : undefined];
        const later = /后|起|以来/.test(bound[4]);
        const excluded = bound[0].includes("不含");
        // «…前» excludes the day itself; «（含）» and «以后» include it.
        const day = iso(y, m, d ?? 1);
        const edge = later ? (excluded ? shift(day, 1) : day) : bound[0].includes("（含）") ? day : shift(day, -1);
        return [{ type: "dated", event, ...(later ? { from: edge } : { to: edge }) }];
      }
    }
    const within = WITHIN.exec(c);
    if (within) {
      const event = eventIn(c.slice(within.index + within[0].length, within.index + within[0].length + 12));
      const years = parseNumber(within[1]);
      if (event && years) return [{ type: "dated", event, withinYears: years }];
    }
    const last = LAST_YEAR.exec(c);
    if (last && !/前/.test(c.slice(last.index, last.index + last[0].length + 2))) {
      const event = eventIn(last[0]);
      if (event) return [{ type: "dated", event, lastYear: true }];
    }
    return [];
  },
  judge(check, text, company) {
    const said = datesOf(company, check.event);
    if (said.length === 0) return { status: "unknown", reason: `政策要求${quote(text)}，画像中没有相应日期`, question: ask(check) };
    const { fact, first, last } = said[0];
    const ok = inWindow(check, first, last, company.asOf);
    return { status: ok ? "met" : "unmet", reason: `政策要求${quote(text)}；企业自述：${fact}，${ok ? "在" : "不在"}所要求的时间内` };
  },
  question: (check) => ask(check),
  verify: () => false,
};

function inWindow(check: Dated, first: [string, string], last: [string, string], asOf: string): boolean {
  // A month alone is read at its most favourable day: the earliest for a lower bound, the latest for an upper one.
  if (check.from && first[1] < check.from) return false;
  if (check.to && last[0] > check.to) return false;
  if (check.withinYears !== undefined) {
    const since = new Date(asOf);
    since.setFullYear(since.getFullYear() - check.withinYears);
    if (last[1] < since.toISOString().slice(0, 10)) return false;
  }
  if (check.lastYear) {
    const year = String(Number(asOf.slice(0, 4)) - 1);
    if (!(first[0].slice(0, 4) <= year && last[1].slice(0, 4) >= year)) return false;
  }
  return true;
}

/** An ISO day moved by some days. */
function shift(day: string, days: number): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** A date to year, month or day: «2023年9月», «2024 年 3 月 1 日». */
export const DATE = /((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*日)?/g;
/** The span of days a date stated to some precision covers. */
const span = (m: RegExpMatchArray): [string, string] => spanOf(Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined);
function spanOf(y: number, mo?: number, d?: number): [string, string] {
  if (!mo) return [iso(y, 1, 1), iso(y, 12, 31)];
  if (d) return [iso(y, mo, d), iso(y, mo, d)];
  return [iso(y, mo, 1), iso(y, mo, new Date(Date.UTC(y, mo, 0)).getUTCDate())];
}

/** The company's dates for an event: «2023年4月18日与银行签订…», «2022年9月至2023年5月建设…» (a range: its first and last day). */
function datesOf(company: Company, event: Event): Array<{ fact: string; first: [string, string]; last: [string, string] }> {
  const out: Array<{ fact: string; first: [string, string]; last: [string, string] }> = [];
  // The applicant's founding is the company's own date (companyFrom reads it from a fact when the profile lacks it), never another party's.
  if (event === "founding") {
    const m = company.foundedOn ? /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(company.foundedOn) : null;
    if (!m) return [];
    const days = spanOf(Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined);
    return [{ fact: `成立（注册）于${company.foundedOn}`, first: days, last: days }];
  }
  for (const f of company.facts) {
    for (const part of f.text.split(/[，,；;。]/)) {
      const dates = [...part.matchAll(DATE)];
      if (dates.length === 0) continue;
      const end = dates[dates.length - 1];
      const after = part.slice(end.index! + end[0].length, end.index! + end[0].length + 14);
      const own = eventIn(after.replace(/^(?:以来|起|开始)/, ""));
      if (!own || !SPEAKS_TO[event].includes(own)) continue;
      const ranged = dates.length >= 2 && /至|到|—|-/.test(part.slice(dates[0].index! + dates[0][0].length, end.index!));
      out.push({ fact: f.text, first: span(ranged ? dates[0] : end), last: span(end) });
    }
  }
  return out;
}

const ASK: Record<Event, string> = {
  contract: "合同是哪一天签订的？",
  publication: "标准（成果）是哪一年哪一月正式发布的？",
  finish: "项目是什么时候完成（竣工验收、投入使用）的？",
  start: "项目是什么时候开工建设的？",
  open: "门店（街区）是什么时候开业的？",
  build: "项目的建设时间是从哪个月到哪个月？",
  founding: "贵公司是哪一年哪一月注册成立的？",
};
const ask = (check: Dated) => ASK[check.event];
