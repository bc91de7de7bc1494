import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { calendarFeed } from "../../src/companies/ical.js";
import type { CalendarEntry } from "../../src/companies/matching.js";

const entry: CalendarEntry = {
  policyId: "p1",
  title: "高企认定奖励",
  verdict: "eligible",
  questions: [],
  applyStart: "2026-12-01",
  applyEnd: "2026-12-31",
  source: null,
};
const zone = process.env.TZ;

describe("the deadline feed", () => {
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it.each([["UTC"], ["Asia/Shanghai"], ["America/Los_Angeles"], ["Pacific/Kiritimati"]])(
    "puts a deadline on its own day when the server's zone is %s",
    (tz) => {
      process.env.TZ = tz;
      const feed = calendarFeed([entry], { name: "deadlines", origin: "http://localhost", companyKey: "c1" });
      expect(feed).toContain("DTSTART;VALUE=DATE:20261231");
      const [event] = new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
      expect(event.startDate.toString()).toBe("2026-12-31");
    },
  );
});
