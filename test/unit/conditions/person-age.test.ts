import { describe, expect, it } from "vitest";
import { personAge } from "../../../src/policies/conditions/person-age.js";
import { company, readAs } from "./table.js";

describe("personAge: the age of the person behind the company", () => {
  it.each([
    ["gz_02", "年龄在40周岁以下", [{ op: "<=", years: 40 }]],
    ["gz_02", "高级工年龄在35周岁以下", [{ op: "<=", years: 35 }]],
    [
      "gz_05",
      "提交贷款申请时女性不超过55周岁、男性不超过60周岁",
      [
        { sex: "女", op: "<=", years: 55 },
        { sex: "男", op: "<=", years: 60 },
      ],
    ],
  ])("%s «%s» limits the person's age", (_doc, clause, limits) => {
    expect(readAs("personAge", clause)).toEqual([{ type: "personAge", limits }]);
  });

  it("leaves the company's own age alone («成立不超过5年»)", () => {
    expect(readAs("personAge", "企业注册成立不超过 5 年（含）")).toEqual([]);
  });

  const check = {
    type: "personAge" as const,
    limits: [
      { sex: "女" as const, op: "<=" as const, years: 55 },
      { sex: "男" as const, op: "<=" as const, years: 60 },
    ],
  };
  it("applies the limit of the person's sex, and asks for the sex only when the limits disagree", () => {
    expect(personAge.judge(check, "", company({ facts: ["法定代表人为女性，32岁"] })).status).toBe("met");
    expect(personAge.judge(check, "", company({ facts: ["法定代表人，男，62岁"] })).status).toBe("unmet");
    expect(personAge.judge(check, "", company({ facts: ["法定代表人58岁"] }))).toMatchObject({
      status: "unknown",
      question: "贵公司法定代表人（申请人）的性别是？",
    });
    expect(personAge.judge(check, "", company())).toMatchObject({ status: "unknown", question: "贵公司法定代表人（申请人）的年龄和性别是？" });
  });

  it("counts the person's age on the day from a birth date, birthdays not yet reached not counted", () => {
    const under45 = { type: "personAge" as const, limits: [{ op: "<=" as const, years: 45 }] };
    // Judged on 2026-06-30.
    expect(company({ facts: ["公司创办人是香港居民，1981年6月出生"] }).personAge).toBe(45);
    expect(company({ facts: ["公司创办人是香港居民，1981年8月出生"] }).personAge).toBe(44);
    expect(personAge.judge(under45, "", company({ facts: ["法定代表人出生于1978年，香港居民"] })).status).toBe("unmet");
    // A birth date of someone who is not the person behind the company says nothing.
    expect(company({ facts: ["一名员工1999年出生"] }).personAge).toBeUndefined();
  });

  it("never takes a model's age limit", () => {
    expect(personAge.verify(check, "女性不超过55周岁、男性不超过60周岁")).toBe(false);
  });
});
