import { describe, expect, it } from "vitest";
import { region } from "../../../src/policies/conditions/region.js";
import { BEIJING, company, readAs } from "./table.js";

const WUHAN = { policyRegionPath: ["湖北省", "武汉市"], regionHint: ["湖北省", "武汉市"] };

describe("region: registered in a place", () => {
  it.each([
    ["bj_076", "在北京地区注册", BEIJING, ["北京市"]],
    ["gz_05", "在广州市行政区域内登记注册", BEIJING, ["广东省", "广州市"]],
    ["(written)", "在本市注册的企业", WUHAN, ["湖北省", "武汉市"]],
    ["(written)", "在京注册的科技型企业", WUHAN, ["北京市"]],
  ] as const)("%s «%s» is read as a place", (_doc, clause, ctx, path) => {
    expect(readAs("region", clause, ctx)).toEqual([{ type: "region", path, place: path[path.length - 1] }]);
  });

  it("reads no place from a clause that does not say where the company is registered", () => {
    expect(readAs("region", "注册资本在 1000 万元（含）以上")).toEqual([]);
    expect(readAs("region", "北京市的高新技术企业")).toEqual([]);
  });

  it("widens a zone to the city the policy extends it to («…其他区域的参照执行»)", () => {
    const ctx = { policyRegionPath: ["北京市", "中关村国家自主创新示范区"], regionHint: ["北京市"] };
    expect(readAs("region", "注册在中关村示范区的企业", ctx)[0]?.path).toEqual(["北京市"]);
  });

  const check = { type: "region" as const, path: ["北京市", "海淀区"], place: "海淀区" };
  it("is met inside the place, unmet outside, and asks when the profile is silent or too coarse", () => {
    expect(region.judge(check, "注册在海淀区", company({ region: { city: "北京市", district: "海淀区" } })).status).toBe("met");
    expect(region.judge(check, "注册在海淀区", company({ region: { province: "湖北省", city: "武汉市" } }))).toMatchObject({ status: "unmet" });
    expect(region.judge(check, "注册在海淀区", company())).toMatchObject({ status: "unknown", question: "贵公司注册在哪个省、市、区？" });
    expect(region.judge(check, "注册在海淀区", company({ region: { province: "北京市" } }))).toMatchObject({
      status: "unknown",
      question: "贵公司是否注册（或经营）在海淀区？",
    });
  });

  it("asks the question judge asks", () => {
    expect(region.question!(check, "注册在海淀区", company())).toBe("贵公司注册在哪个省、市、区？");
  });

  it("never takes a model's place", () => {
    expect(region.verify(check, "注册在北京市海淀区")).toBe(false);
  });

  const XUHUI = { policyRegionPath: ["上海市", "徐汇区"], regionHint: ["上海市", "徐汇区"] };
  it("xuhui_02 «依法在徐汇区经营的…»: registered elsewhere with work in the district is a question, with none there unmet", () => {
    const [operating] = readAs("region", "本政策适用于依法在徐汇区经营的具身智能产业法人或非法人组织机构", XUHUI);
    expect(operating).toMatchObject({ type: "region", place: "徐汇区", operating: true });
    const text = "依法在徐汇区经营的具身智能产业法人";
    const elsewhere = { region: { province: "上海市", city: "上海市", district: "长宁区" } };
    expect(region.judge(operating, text, company({ ...elsewhere, facts: ["在徐汇设有研发中心"] }))).toMatchObject({
      status: "unknown",
      question: expect.stringContaining("徐汇区"),
    });
    expect(region.judge(operating, text, company(elsewhere)).status).toBe("unmet");
    // Registration alone: work elsewhere is no excuse.
    const [registered] = readAs("region", "注册在徐汇区的企业", XUHUI);
    expect(region.judge(registered, "注册在徐汇区的企业", company({ ...elsewhere, facts: ["在徐汇设有研发中心"] })).status).toBe("unmet");
  });

  it("xuhui_02 «相关经营主体须符合徐汇区产业发展导向»: the district's plans are no place requirement", () => {
    expect(readAs("region", "相关经营主体须符合徐汇区产业发展导向", XUHUI)).toEqual([]);
  });
});
