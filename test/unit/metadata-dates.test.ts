import { describe, expect, it } from "vitest";
import { extractApplicationWindow, extractMetadata, parseDate } from "../../src/ingest/metadata.js";

describe("dates a policy states: real calendar dates only", () => {
  it("reads 2月30日, 4月31日 and 2月29日 of a common year as no date", () => {
    expect(parseDate("2026年2月30日")).toBeNull();
    expect(parseDate("2026年4月31日")).toBeNull();
    expect(parseDate("2026-02-29")).toBeNull();
    expect(parseDate("2028年2月29日")).toBe("2028-02-29");
    expect(parseDate("2026/4/30")).toBe("2026-04-30");
  });

  it("keeps the real end of a window whose start is impossible, in the year the start names", () => {
    expect(extractApplicationWindow("申报时间：2026年2月30日至4月30日")).toEqual({ start: null, end: "2026-04-30" });
    expect(extractApplicationWindow("申报时间：2026年3月1日至2月30日")).toEqual({ start: "2026-03-01", end: null });
  });

  it("leaves impossible front-matter and signature dates unknown", () => {
    const meta = extractMetadata("某区研发补助办法\n一、申报条件\n在武汉市注册。\n武汉市科学技术局\n2026年2月30日", { date: "2026-02-30", valid_until: "2026年2月31日", apply_end: "2026-13-01" });
    expect(meta).toMatchObject({ publishedAt: null, validUntil: null, applyEnd: null });
    expect(extractMetadata("某区研发补助办法\n武汉市科学技术局\n2026年2月30日").publishedAt).toBeNull();
  });
});
