import { describe, expect, it } from "vitest";
import { age } from "../../../src/policies/conditions/age.js";
import { company, readAs } from "./table.js";

describe("age: the company's age since founding", () => {
  it.each([
    ["bj_053", "成立不满两年的企业", "<", 2],
    ["bj_093", "持续正常经营 2 年以上", ">=", 2],
    ["gz_04", "初创企业登记注册满6个月", ">=", 0.5],
    ["bj_046", "被投企业设立时间不超过 5 年", "<=", 5],
  ])("%s «%s» limits the company's age", (_doc, clause, op, years) => {
    expect(readAs("age", clause)).toEqual([{ type: "age", op, years }]);
  });

  it("does not read a span that follows no word of founding («签订1年以上期限劳动合同»)", () => {
    expect(readAs("age", "并与其签订1年以上期限劳动合同")).toEqual([]);
  });

  const check = { type: "age" as const, op: "<=" as const, years: 5 };
  it("counts years from the founding date to the day of judging, and asks for the date when it is missing", () => {
    expect(age.judge(check, "注册成立不超过5年", company({ established: "2023-01-01" })).status).toBe("met");
    expect(age.judge(check, "注册成立不超过5年", company({ established: "2012-09-18" })).status).toBe("unmet");
    expect(age.judge(check, "注册成立不超过5年", company())).toMatchObject({ status: "unknown", question: "贵公司的成立（注册）日期是？" });
  });

  it("takes a model's proposal only when the clause states the number of years", () => {
    expect(age.verify(check, "企业注册成立不超过 5 年（含）")).toBe(true);
    expect(age.verify(check, "企业注册成立不超过 3 年")).toBe(false);
  });
});
