import { describe, expect, it } from "vitest";
import { applicant } from "../../../src/policies/conditions/applicant.js";
import { company, readAs } from "./table.js";

describe("applicant: kinds of applicant excluded", () => {
  it.each([
    ["bj_053", "属于房地产企业、政府融资平台以外的非金融企业", ["房地产企业", "政府融资平台"]],
    ["gz_04", "符合条件的用人单位（所有股东均为法人股东的企业、劳务派遣企业除外）", ["劳务派遣企业"]],
    ["(written)", "除金融企业外的各类企业", ["金融企业"]],
  ])("%s «%s» excludes its kinds", (_doc, clause, excluded) => {
    expect(readAs("applicant", clause)).toEqual([{ type: "applicant", excluded }]);
  });

  it("ignores an exclusion that names no kind of business («节假日除外»)", () => {
    expect(readAs("applicant", "每周一至周五（节假日除外）受理")).toEqual([]);
  });

  const check = { type: "applicant" as const, excluded: ["房地产企业", "金融企业"] };
  it("is unmet for a company of an excluded kind, met otherwise, and asks what the company does", () => {
    expect(applicant.judge(check, "", company({ industries: ["房地产"] })).status).toBe("unmet");
    expect(applicant.judge(check, "", company({ industries: ["集成电路"] })).status).toBe("met");
    expect(applicant.judge(check, "", company())).toMatchObject({ status: "unknown", question: "贵公司的主营业务和所属行业是什么？" });
  });

  it("bj_053 «属于房地产企业、政府融资平台以外的非金融企业»: a kind the company denies being is no hit", () => {
    const [read] = readAs("applicant", "属于房地产企业、政府融资平台以外的非金融企业");
    expect(read).toMatchObject({ type: "applicant", excluded: ["房地产企业", "政府融资平台"] });
    expect(applicant.judge(read, "", company({ facts: ["本公司不属于房地产企业，也不是融资平台"] })).status).toBe("met");
    expect(applicant.judge(read, "", company({ facts: ["主营房地产开发"] })).status).toBe("unmet");
  });

  it("never takes a model's exclusion", () => {
    expect(applicant.verify(check, "房地产企业、金融企业除外")).toBe(false);
  });
});
