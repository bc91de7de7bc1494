import { describe, expect, it } from "vitest";
import { recognised } from "../../../src/policies/conditions/recognised.js";
import { company, readAs } from "./table.js";

describe("recognised: a qualification newly granted in a given year", () => {
  it.each([
    ["2025年度新认定的湖北省专精特新中小企业", ["专精特新中小企业"], 2025],
    ["2024年度（含第二批公告名单）新认定的国家级专精特新“小巨人”企业", ["专精特新“小巨人”企业"], 2024],
    ["对2026年首次认定的高新技术企业", ["高新技术企业"], 2026],
  ] as const)("«%s» rewards %j granted in %i", (clause, anyOf, year) => {
    expect(readAs("recognised", clause)).toEqual([{ type: "recognised", anyOf, year }]);
  });

  it.each(["列入专精特新中小企业名单", "有效期内的高新技术企业", "2025年营业收入不低于1000万元的高新技术企业"])("reads no grant year from «%s»", (clause) => {
    expect(readAs("recognised", clause)).toEqual([]);
  });

  const check = { type: "recognised" as const, anyOf: ["专精特新中小企业"], year: 2025 };
  const clause = "2025年度新认定的湖北省专精特新中小企业";
  it("passes a grant in the year, fails one in another year or none held, and asks the year otherwise", () => {
    const holder = (facts: string[]) => company({ qualifications: ["专精特新中小企业"], facts });
    expect(recognised.judge(check, clause, holder(["2025年6月被认定为湖北省专精特新中小企业"])).status).toBe("met");
    expect(recognised.judge(check, clause, company({ facts: ["我们2023年拿的省级专精特新"] })).status).toBe("unmet");
    // An aside says what the company was: «（非2025年度新认定）» is no grant in 2025.
    expect(recognised.judge(check, clause, holder(["2023年被认定为省级专精特新中小企业（非2025年度新认定）"])).status).toBe("unmet");
    expect(recognised.judge(check, clause, company({ qualifications: ["高新技术企业"] })).status).toBe("unmet");
    expect(recognised.judge(check, clause, holder([]))).toMatchObject({ status: "unknown", question: expect.stringContaining("哪一年") });
  });

  it("takes a model's proposal only with the clause's own year", () => {
    expect(recognised.verify(check, clause)).toBe(true);
    expect(recognised.verify({ ...check, year: 2024 }, clause)).toBe(false);
  });
});
