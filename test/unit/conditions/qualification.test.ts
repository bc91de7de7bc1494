import { describe, expect, it } from "vitest";
import { qualification } from "../../../src/policies/conditions/qualification.js";
import { company, readAs } from "./table.js";

describe("qualification: a qualification the company must (or must not) hold", () => {
  it.each([
    ["bj_053", "获得国家高新技术企业证书或中关村高新技术企业证书", { anyOf: ["高新技术企业", "中关村高新技术企业"] }],
    [
      "bj_024",
      "获得国家高新技术企业、国家级专精特新“小巨人”企业、北京市“专精特新”中小企业称号之一",
      { anyOf: ["高新技术企业", "专精特新“小巨人”企业", "专精特新中小企业"] },
    ],
    ["bj_093", "非上市文化企业", { anyOf: ["上市公司"], absent: true }],
    ["(written)", "尚未认定为国家高新技术企业", { anyOf: ["高新技术企业"], absent: true }],
  ])("%s «%s» names the qualification", (_doc, clause, expected) => {
    expect(readAs("qualification", clause)).toEqual([{ type: "qualification", ...expected }]);
  });

  it("does not read a qualification the clause excludes («…除外»)", () => {
    expect(readAs("qualification", "高新技术企业除外")).toEqual([]);
  });

  const hightech = { type: "qualification" as const, anyOf: ["高新技术企业"] };
  it("is met by a held qualification, unmet when the company listed others or lacks it, and asks otherwise", () => {
    expect(qualification.judge(hightech, "", company({ qualifications: ["高企"] })).status).toBe("met");
    expect(qualification.judge(hightech, "", company({ qualifications: ["科技型中小企业"] })).status).toBe("unmet");
    expect(qualification.judge(hightech, "", company({ lacks: ["高新技术企业"] })).status).toBe("unmet");
    expect(qualification.judge(hightech, "", company())).toMatchObject({ status: "unknown", question: "贵公司是否已获得高新技术企业认定？" });
  });

  it("turns round for a qualification the company must not hold", () => {
    const notListed = { type: "qualification" as const, anyOf: ["上市公司"], absent: true };
    expect(qualification.judge(notListed, "非上市文化企业", company({ listed: false })).status).toBe("met");
    expect(qualification.judge(notListed, "非上市文化企业", company({ listed: true })).status).toBe("unmet");
    expect(qualification.judge({ ...hightech, absent: true }, "", company({ qualifications: [] })).status).toBe("met");
  });

  it("takes a model's proposal only when the clause names every qualification it lists", () => {
    expect(qualification.verify(hightech, "获得国家高新技术企业证书")).toBe(true);
    expect(qualification.verify({ ...hightech, anyOf: ["高新技术企业", "科技型中小企业"] }, "获得国家高新技术企业证书")).toBe(false);
  });
});
