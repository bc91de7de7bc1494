import { describe, expect, it } from "vitest";
import { industry } from "../../../src/policies/conditions/industry.js";
import { company, readAs } from "./table.js";

describe("industry: the company's field", () => {
  it.each([
    ["bj_093", "非上市文化企业", ["文化产业"]],
    [
      "bj_028",
      "在工业、政务、医疗、金融、教育、法务、交通、文旅、科学研究、城市管理、便民服务等领域进行行业人工智能大模型训练和应用",
      ["新一代信息技术", "医药健康"],
    ],
    ["(written)", "属于集成电路产业的企业", ["新一代信息技术"]],
  ])("%s «%s» admits fields", (_doc, clause, fields) => {
    expect(readAs("industry", clause)).toEqual([{ type: "industry", fields }]);
  });

  it("needs a word of field or industry («集成电路企业» alone is no field condition)", () => {
    expect(readAs("industry", "集成电路企业")).toEqual([]);
  });

  // Fields are the vocabulary's: 集成电路 is counted as 新一代信息技术.
  const check = { type: "industry" as const, fields: ["新一代信息技术"] };
  it("is met by a company of an admitted field, unmet by one of another, and asks when it is not said", () => {
    expect(industry.judge(check, "", company({ industries: ["集成电路"] })).status).toBe("met");
    expect(industry.judge(check, "", company({ industries: ["生物医药"] })).status).toBe("unmet");
    expect(industry.judge(check, "", company())).toMatchObject({ status: "unknown", question: "贵公司属于哪个行业或技术领域？" });
  });

  it("takes a model's proposal only when the clause names every field", () => {
    expect(industry.verify(check, "属于集成电路产业")).toBe(true);
    expect(industry.verify({ ...check, fields: ["新一代信息技术", "医药健康"] }, "属于集成电路产业")).toBe(false);
  });
});
