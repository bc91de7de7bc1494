import { describe, expect, it } from "vitest";
import { extractApplicationWindow, extractDocNumber, extractMetadata, parseDate } from "../../src/ingest/metadata.js";

describe("extractDocNumber (文号)", () => {
  it.each([
    ["关于印发《北京市x办法》的通知\n京发改规〔2023〕12 号\n", "京发改规〔2023〕12号"],
    ["穗天科工信规字〔2023〕1号", "穗天科工信规字〔2023〕1号"],
    ["武科规[2025]3号", "武科规〔2025〕3号"],
    ["国办发（2021）第 25 号", "国办发〔2021〕25号"],
    ["鄂科技发【2024】7号文件", "鄂科技发〔2024〕7号"],
  ])("reads %j as %s", (text, expected) => {
    expect(extractDocNumber(text)).toBe(expected);
  });

  it("returns null when there is none", () => {
    expect(extractDocNumber("本办法自2024年1月1日起施行。")).toBeNull();
  });
});

describe("dates and application windows", () => {
  it("parses Chinese and ISO dates", () => {
    expect(parseDate("2023年9月26日")).toBe("2023-09-26");
    expect(parseDate("2024-1-5")).toBe("2024-01-05");
    expect(parseDate("2024年13月1日")).toBeNull();
  });

  it("reads a window stated with 至 and a month-day end", () => {
    expect(extractApplicationWindow("四、申报时间\n申报时间为2026年3月1日至4月30日。")).toEqual({ start: "2026-03-01", end: "2026-04-30" });
  });

  it("reads a deadline stated with 截止", () => {
    expect(extractApplicationWindow("申报截止时间：2026年12月20日17:00").end).toBe("2026-12-20");
  });
});

describe("extractMetadata", () => {
  it("prefers front matter and reads the rest from the text", () => {
    const text = "武汉市高新技术企业认定奖励办法\n武科规〔2025〕3号\n一、申报条件\n…\n申报时间：2026年3月1日至2026年4月30日\n武汉市科学技术局\n2025年12月1日";
    const m = extractMetadata(text, { region: "湖北省武汉市" });
    expect(m).toMatchObject({
      title: "武汉市高新技术企业认定奖励办法",
      docNumber: "武科规〔2025〕3号",
      issuer: "武汉市科学技术局",
      publishedAt: "2025-12-01",
      applyStart: "2026-03-01",
      applyEnd: "2026-04-30",
      regionPath: ["湖北省", "武汉市"],
      level: "municipal",
    });
  });

  it("infers the region from the issuer when nothing states it", () => {
    const m = extractMetadata("深圳市南山区科技创新局关于开展奖励申报的通知\n深圳市南山区科技创新局\n2025年3月1日");
    expect(m.regionPath).toEqual(["广东省", "深圳市", "南山区"]);
    expect(m.level).toBe("district");
  });
});
