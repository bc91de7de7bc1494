import { describe, expect, it } from "vitest";
import { parseRegion, placePathIn, profileRegionPath, regionCovers } from "../../src/policies/region.js";

describe("regions", () => {
  it("parses administrative paths", () => {
    expect(parseRegion("湖北省武汉市东湖新技术开发区")).toEqual(["湖北省", "武汉市", "东湖新技术开发区"]);
    expect(parseRegion("广州市天河区")).toEqual(["广东省", "广州市", "天河区"]);
    expect(parseRegion("全国")).toEqual([]);
  });

  it("reads a province or city by its short name, as front matter writes it", () => {
    expect(parseRegion("山东")).toEqual(["山东省"]);
    expect(parseRegion("内蒙古")).toEqual(["内蒙古自治区"]);
    // 吉林 is the province; the city is 吉林市
    expect(parseRegion("吉林")).toEqual(["吉林省"]);
    expect(parseRegion("郑州")).toEqual(["河南省", "郑州市"]);
  });

  it("contains district in city in province", () => {
    const company = profileRegionPath({ city: "北京市", district: "海淀区", park: "中关村科学城" });
    expect(regionCovers(parseRegion("北京市"), company)).toBe(true);
    expect(regionCovers(parseRegion("北京市海淀区"), company)).toBe(true);
    expect(regionCovers(parseRegion("北京市朝阳区"), company)).toBe(false);
    expect(regionCovers(parseRegion("广东省广州市"), profileRegionPath({ province: "广东省", city: "佛山市" }))).toBe(false);
    expect(regionCovers([], company)).toBe(true);
  });

  it("finds the place a question names, and ignores questions naming two branches", () => {
    expect(placePathIn("武汉东湖高新区的光电子企业能拿哪些补助？")).toEqual(["湖北省", "武汉市", "东湖新技术开发区"]);
    expect(placePathIn("公司在海淀，年营收两个多亿")).toEqual(["北京市", "海淀区"]);
    expect(placePathIn("北京和上海哪个补贴多")).toBeNull();
    expect(placePathIn("出口退税多久到账")).toBeNull();
  });
});
