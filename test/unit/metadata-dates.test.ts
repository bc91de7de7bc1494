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
    const meta = extractMetadata("某区研发补助办法\n一、申报条件\n在武汉市注册。\n武汉市科学技术局\n2026年2月30日", {
      date: "2026-02-30",
      valid_until: "2026年2月31日",
      apply_end: "2026-13-01",
    });
    expect(meta).toMatchObject({ publishedAt: null, validUntil: null, applyEnd: null });
    expect(extractMetadata("某区研发补助办法\n武汉市科学技术局\n2026年2月30日").publishedAt).toBeNull();
  });
});

describe("the publication date a document states", () => {
  const published = (text: string) => extractMetadata(text).publishedAt;

  it("takes a labelled publication date, with its value on the label's line or the next, over the signature's", () => {
    expect(published("某市引进人才实施细则\n发表时间：\n2022-07-14 20:24\n正文。\n某市人力资源和社会保障局\n2022年7月7日")).toBe("2022-07-14");
    expect(published("某区补贴申报通知\n发布时间：2026年07月15日 信息来源：某市科技创新局 字号：[大 中 小]")).toBe("2026-07-15");
  });

  it("takes the signature block's date when nothing labels the publication, never an 实施日期", () => {
    expect(published("基本信息\n实施日期：\n2020年07月09日\n某市管理办法\n正文。\n某市人民政府办公厅\n2020年6月29日\n附件")).toBe("2020-06-29");
  });

  it("takes the latest date of a law's adoption and amendments listed under its title", () => {
    const law =
      "# 某市促进中小企业发展条例\n2011年4月12日 某市人民代表大会常务委员会第二十六次会议通过\n2018年5月24日 某市人民代表大会常务委员会第四次会议《关于修改本市部分地方性法规的决定》修正\n## 第一章 总则\n第一条 为了促进中小企业发展，制定本条例。";
    expect(published(law)).toBe("2018-05-24");
    const oneLine =
      "# 某省技术市场条例\n1987年12月29日 某省人民代表大会常务委员会会议通过 根据1993年7月1日某省会议决定修正 根据2021年9月29日某省会议决定修正\n## 第一章 总则";
    expect(published(oneLine)).toBe("2021-09-29");
  });

  it("leaves the date unknown when a regulation's last step is an approval by the level above, published later on a day not stated", () => {
    const law =
      "# 某市专利管理规定\n2014年10月29日 某市人民代表大会常务委员会第二十三次会议通过修订\n2014年11月27日 某省人民代表大会常务委员会第十一次会议批准修订\n第一条 为了规范专利管理，制定本规定。";
    expect(published(law)).toBeNull();
  });

  it("reads no publication date from a document's effective date (自…起施行)", () => {
    expect(published("某区港澳青年创业办法\n第一条 为支持创业，制定本办法。\n第十三条 本办法自2023年9月8日起施行，有效期3年。")).toBeNull();
  });

  it("dates a policy card, which states no other date, by the day its 时间/频度 says it takes effect", () => {
    expect(published("某市数字经济项目支持\n【时间/频度】\n从 2022 年 7 月 5 日起，在 2022-2024 年内有效\n【联络方式】\n某市经济和信息化局：12345678")).toBe(
      "2022-07-05",
    );
    expect(published("某市标准化资助\n【时间/频度】\n2022 年 8 月 11 日起，有效期 3 年")).toBe("2022-08-11");
    // A yearly round is not a date the card was made.
    expect(published("某市专利资助\n【时间/频度】\n每年 3 月左右")).toBeNull();
  });
});
