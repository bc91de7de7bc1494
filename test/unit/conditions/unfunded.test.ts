import { describe, expect, it } from "vitest";
import { unfunded } from "../../../src/policies/conditions/unfunded.js";
import { company, readAs } from "./table.js";

describe("unfunded: no public money already had for the same purpose", () => {
  it.each([
    ["(written)", "项目未获得其他市级财政资金支持"],
    ["(written)", "产品研制过程中未获得财政资金支持、并在本市首次应用的新产品"],
    ["(written)", "申报项目此前未享受过同类专项资金补助"],
  ])("%s «%s» asks that the project be unfunded", (_doc, clause) => {
    expect(readAs("unfunded", clause)).toEqual([{ type: "unfunded" }]);
  });

  it("is not read from a clause that only names funding", () => {
    expect(readAs("unfunded", "获得市级财政资金支持的项目应按期验收")).toEqual([]);
  });

  const check = { type: "unfunded" as const };
  const clause = "项目未获得其他市级财政资金支持";
  it("fails a company that says it got public money, in plain or spoken words, and passes one that says it got none", () => {
    expect(unfunded.judge(check, clause, company({ facts: ["该项目已获得市级财政资金支持"] })).status).toBe("unmet");
    expect(unfunded.judge(check, clause, company({ facts: ["这个产品研发时拿过区里科技计划的财政资金"] })).status).toBe("unmet");
    expect(unfunded.judge(check, clause, company({ facts: ["项目没有获得过其他财政资金"] })).status).toBe("met");
    expect(unfunded.judge(check, clause, company())).toMatchObject({ status: "unknown", question: "申报的项目（或企业）此前是否已获得过其他财政资金支持？" });
  });

  it("takes a model's proposal only when the clause says so", () => {
    expect(unfunded.verify(check, clause)).toBe(true);
    expect(unfunded.verify(check, "具有独立法人资格")).toBe(false);
  });
});
