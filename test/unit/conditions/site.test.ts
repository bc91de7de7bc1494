import { describe, expect, it } from "vitest";
import { site } from "../../../src/policies/conditions/site.js";
import { BEIJING, company, readAs } from "./table.js";

const TIANHE = { policyRegionPath: ["广东省", "广州市", "天河区"], regionHint: ["广东省", "广州市", "天河区"] };
const inBeijing = { region: { province: "北京市", city: "北京市", district: "大兴区" } };

describe("site: where a project, a facility, an employer or premises are", () => {
  it.each([
    ["项目须在本市立项备案", BEIJING, "filing", [["北京市"]]],
    ["对本市行政区域范围内建成（含改扩建）的充电站给予建设补贴", BEIJING, "built", [["北京市"]]],
    ["就业协议书中的用人单位须在本市行政区域内", BEIJING, "employer", [["北京市"]]],
    ["入驻天河区行政区域内的孵化载体", TIANHE, "premises", [["广东省", "广州市", "天河区"]]],
  ] as const)("«%s»", (clause, ctx, what, paths) => {
    expect(readAs("site", clause, ctx)).toMatchObject([{ type: "site", what, paths }]);
  });

  it("reads a registration in one of several zones, and knows when every zone was recognised", () => {
    const [zones] = readAs("site", "新设机构的注册地址应在怀柔科学城、北京经济技术开发区和城市副中心范围内");
    expect(zones).toMatchObject({ what: "registered", complete: true });
    expect(zones.paths).toHaveLength(3);
    const [partly] = readAs("site", "注册地址应在怀柔科学城、北京经济技术开发区、某某生态谷范围内");
    expect(partly?.complete).toBe(false);
  });

  it("reads nothing from a place named in passing", () => {
    expect(readAs("site", "符合北京市重点产业发展规划")).toEqual([]);
  });

  const built = readAs("site", "申报项目须在本市行政区域内建设")[0];
  it("is unmet when the company places the thing outside, met inside, and asks when nobody placed it and the company is elsewhere", () => {
    expect(site.judge(built, "申报项目须在本市行政区域内建设", company({ ...inBeijing, facts: ["新厂房选址在河北省廊坊市"] })).status).toBe("unmet");
    expect(site.judge(built, "申报项目须在本市行政区域内建设", company({ ...inBeijing, facts: ["新厂房建在顺义区"] })).status).toBe("met");
    expect(site.judge(built, "申报项目须在本市行政区域内建设", company({ region: { province: "河北省", city: "廊坊市" } }))).toMatchObject({
      status: "unknown",
      question: expect.stringContaining("北京市"),
    });
  });

  it("reads where the facility itself is before where the company is registered", () => {
    const facts = ["公司注册在北京市朝阳区", "新建的充电站位于河北省廊坊市"];
    expect(site.judge(built, "申报项目须在本市行政区域内建设", company({ ...inBeijing, facts })).status).toBe("unmet");
  });

  it("takes a project nobody placed elsewhere to be where the company is, but only to meet the condition", () => {
    expect(site.judge(built, "申报项目须在本市行政区域内建设", company(inBeijing))).toMatchObject({
      status: "met",
      reason: expect.stringContaining("按企业注册地"),
    });
  });

  it("rules out a registration outside every zone only when every zone was recognised", () => {
    const [zones] = readAs("site", "新设机构的注册地址应在怀柔科学城、北京经济技术开发区范围内");
    const chaoyang = company({ region: { province: "北京市", city: "北京市", district: "朝阳区" }, facts: ["明年在朝阳区新注册一家子公司"] });
    expect(site.judge(zones, "注册地址应在怀柔科学城、北京经济技术开发区范围内", chaoyang).status).toBe("unmet");
    const [partly] = readAs("site", "注册地址应在怀柔科学城、北京经济技术开发区、某某生态谷范围内");
    expect(site.judge(partly, "注册地址应在怀柔科学城、北京经济技术开发区、某某生态谷范围内", chaoyang).status).toBe("unknown");
  });

  it("judges the employer of a person the company hires by where the company is", () => {
    const [employer] = readAs("site", "就业协议书中的用人单位须在本市行政区域内");
    expect(site.judge(employer, "用人单位须在本市行政区域内", company({ region: { province: "河北省", city: "保定市" } })).status).toBe("unmet");
  });

  it("never takes a model's place", () => {
    expect(site.verify(built, "申报项目须在本市行政区域内建设")).toBe(false);
  });
});
