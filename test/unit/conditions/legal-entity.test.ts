import { describe, expect, it } from "vitest";
import { legalEntity } from "../../../src/policies/conditions/legal-entity.js";
import { company, readAs } from "./table.js";

describe("legalEntity: an independent legal person", () => {
  it.each([
    ["bj_062", "具有独立法人资格"],
    ["(written)", "在本市注册、实行独立核算的企业"],
  ])("%s «%s» asks for a legal person", (_doc, clause) => {
    expect(readAs("legalEntity", clause)).toEqual([{ type: "legalEntity" }]);
  });

  it("does not read «不具备法人资格» as the requirement", () => {
    expect(readAs("legalEntity", "不具备法人资格的分支机构")).toEqual([]);
  });

  const check = { type: "legalEntity" as const };
  it("is met unless the company says it is a branch or not a legal person; it never needs a question", () => {
    expect(legalEntity.judge(check, "具有独立法人资格", company()).status).toBe("met");
    expect(legalEntity.judge(check, "具有独立法人资格", company({ facts: ["为分公司，未设立独立法人"] })).status).toBe("unmet");
    expect(legalEntity.question).toBeUndefined();
  });

  it("takes a model's proposal only when the clause speaks of a legal person", () => {
    expect(legalEntity.verify(check, "具有独立法人资格")).toBe(true);
    expect(legalEntity.verify(check, "在本市注册")).toBe(false);
  });
});
