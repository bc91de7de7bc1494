/**
 * When a company applies, as a caseworker reads it from a policy's text: a dated round
 * (申报时间：2026年3月1日至4月30日), a yearly one (【时间/频度】每年8月左右, 每年第一季度),
 * any time (常年受理), a time the text leaves to a later notice (以当年申报通知为准), or nothing said.
 * A date a text takes effect or lapses on, or a period a project must fall in, is no window.
 */
import { z } from "zod";
import { extractApplicationWindow } from "../ingest/metadata.js";

export const ApplicationWindowSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("dates"), start: z.string().nullable(), end: z.string().nullable() }),
    z.object({ kind: z.literal("annual"), months: z.array(z.number().int().min(1).max(12)).describe("The months a yearly round takes applications in") }),
    z.object({ kind: z.literal("rolling").describe("常年受理: any time") }),
    z.object({ kind: z.literal("notice").describe("The text leaves the time to a later 申报通知 or 指南") }),
    z.object({ kind: z.literal("none").describe("The text says nothing of when to apply") }),
  ])
  .describe("When a company applies, as the text states it");
export type ApplicationWindow = z.infer<typeof ApplicationWindowSchema>;

const HAN_MONTH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };
const month = (s: string) => Number(s) || HAN_MONTH[s] || 0;
const M = String.raw`(\d{1,2}|十[一二]?|[一二三四五六七八九])`;

const QUARTER = /每年(?:的)?第?([一二三四1-4])季度/;
const HALF_YEAR = /每年(?:的)?(上|下)半年(?:组织|开展|受理|申报|集中)/;
/** «每年3月至5月», «每年3—5月», «每年8月左右», «当年度8月底前完成项目申报»: a yearly cue, then the months after it. */
const YEARLY = /每年度?|当年度?/;
const MONTHS = new RegExp(String.raw`${M}\s*月(?:份|底|中旬|上旬|下旬|左右|前后)?\s*(?:(?:至|到|—|－|-|~|～)\s*${M}\s*月)?`, "g");
/** A yearly month that says when to apply, not when to report or pay (每年3月30日前提交年度报告). */
const APPLY_NEAR = /申报|受理|申请|评定|认定|征集|组织|开展|启动|报名|左右|前后|频度/;
const NOT_APPLYING = /年度报告|年报|统计|报送.*(?:数据|情况)|拨付|兑现|考核|评估|总结|备案/;
const ROLLING =
  /常年受理|常年申报|常年开放|随时(?:申报|受理|申请|提交)|全年(?:受理|开放|申报)|长期受理|符合(?:相应)?条件后[^。；]{0,12}(?:提交|申报|申请)|不设(?:申报)?截止/;
const NOTICE =
  /另行(?:通知|发布|公告)|以[^。；]{0,12}(?:通知|指南|公告)为准|(?:根据|按照?|依据)[^。；]{0,8}(?:申报|征集|项目)(?:通知|指南)|(?:发布|印发|下发)[^。；]{0,12}(?:申报|征集|项目)(?:通知|指南)|定期(?:申报|评定|组织申报)|每年(?:集中)?(?:组织|开展)(?:一次)?(?:申报|评定|认定)|一般每年一次|每[二三两]年(?:评定|认定|组织|开展)一次|分批(?:次)?(?:申报|受理)/;

/** The window this text states; `text` is the policy's whole body. */
export function readWindow(text: string): ApplicationWindow {
  const flat = text.replace(/\s+/g, "");
  const dated = extractApplicationWindow(text);
  if (dated.start || dated.end) return { kind: "dates", ...dated };
  const yearly = annualMonths(flat);
  if (yearly.length) return { kind: "annual", months: yearly };
  if (ROLLING.test(flat)) return { kind: "rolling" };
  if (NOTICE.test(flat)) return { kind: "notice" };
  return { kind: "none" };
}

function annualMonths(flat: string): number[] {
  for (const sentence of flat.split(/(?<=[。；])|【/)) {
    // A line that is nothing but a time («每年第一季度») is a card's time cell, whatever its label became.
    const cell = sentence.replace(/^[^】]*】|[。；]$/g, "").length <= 16;
    const q = QUARTER.exec(sentence);
    if (q && (cell || APPLY_NEAR.test(sentence)) && !NOT_APPLYING.test(sentence)) {
      const n = month(q[1]);
      return [3 * n - 2, 3 * n - 1, 3 * n];
    }
    const h = HALF_YEAR.exec(sentence);
    if (h && !NOT_APPLYING.test(sentence)) return h[1] === "上" ? [1, 2, 3, 4, 5, 6] : [7, 8, 9, 10, 11, 12];
    // A card's 【时间/频度】 cell names the month a round opens; of several months (公布 in March, 申报 in April) the one to apply in.
    const cue = YEARLY.exec(sentence);
    if (!cue) continue;
    const found: number[][] = [];
    for (const m of sentence.slice(cue.index).matchAll(MONTHS)) {
      const at = cue.index + m.index;
      if (at - cue.index > 40) break;
      const clause = sentence.slice(Math.max(0, at - 8), at + m[0].length) + sentence.slice(at + m[0].length).split(/[，,。；]/)[0];
      // «8月31日» is a day (a report's deadline or a date), not a month of rounds.
      if (/^\s*\d{1,2}\s*日/.test(sentence.slice(at + m[0].length)) && !/前|止/.test(clause)) continue;
      if (!(cell || APPLY_NEAR.test(clause)) || NOT_APPLYING.test(clause)) continue;
      const from = month(m[1]);
      const to = m[2] ? month(m[2]) : from;
      if (from < 1 || from > 12 || to < from || to > 12) continue;
      const span = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      if (/申报|受理|申请|报名/.test(clause)) return span;
      found.push(span);
    }
    if (found.length) return found[found.length - 1];
  }
  return [];
}

/** What decides a reading, for the rules' fingerprint (READING_RULES). */
export const WINDOW_PATTERNS: unknown[] = [M, QUARTER, HALF_YEAR, YEARLY, MONTHS, APPLY_NEAR, NOT_APPLYING, ROLLING, NOTICE, annualMonths];
