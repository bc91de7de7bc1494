import ical, { ICalAlarmType } from "ical-generator";
import type { CalendarEntry } from "./matching.js";

/**
 * The deadlines as an iCalendar feed a person can subscribe to: one all-day
 * event on each closing day, with a reminder a week before, the verdict and
 * what is still to check in the description.
 */
export function calendarFeed(entries: CalendarEntry[], options: { name: string; origin: string; companyKey: string }): string {
  const cal = ical({ name: options.name, prodId: { company: "policy-match", product: "deadlines", language: "ZH" }, timezone: "Asia/Shanghai", ttl: 3600 });
  for (const e of entries) {
    // ical-generator writes an all-day date with the machine's local getters (the calendar has a time zone):
    // local midnight of the closing day is that day wherever the server runs; UTC midnight is the day before west of Greenwich.
    const [y, m, d] = e.applyEnd.split("-").map(Number);
    const day = new Date(y, m - 1, d);
    const lines = [
      e.verdict === "eligible" ? "符合全部申报条件。" : `可能符合，尚需确认：${e.questions.join("；") || "部分条件"}`,
      e.applyStart ? `申报时间：${e.applyStart} 至 ${e.applyEnd}` : `申报截止：${e.applyEnd}`,
      ...(e.source ? [`来源：${e.source}`] : []),
    ];
    const event = cal.createEvent({
      id: `${options.companyKey}/${e.policyId}/${e.applyEnd}@policy-match`,
      start: day,
      allDay: true,
      summary: `申报截止：${e.title}`,
      description: lines.join("\n"),
      ...(e.source && /^https?:\/\//.test(e.source) ? { url: e.source } : {}),
    });
    event.createAlarm({ type: ICalAlarmType.display, trigger: 7 * 24 * 3600, description: `一周后截止：${e.title}` });
  }
  return cal.toString();
}
