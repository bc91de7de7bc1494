import { describe, expect, it } from "vitest";
import { applicantKind } from "../../../src/policies/conditions/applicant-kind.js";
import { company, readAs } from "./table.js";

describe("applicantKind: who may apply at all", () => {
  it.each([
    ["bj_097", "申报单位应是在北京地区注册且具有独立法人资格的企业", "企业"],
    ["bj_083", "本项目的项目申报主体为个人", "个人"],
    ["(written)", "申请人须为自然人", "个人"],
    ["bj_058", "注册或登记地在本市的单位", "单位"],
  ])("%s «%s» admits only %s", (_doc, clause, kind) => {
    expect(readAs("applicantKind", clause)).toEqual([{ type: "applicantKind", kind }]);
  });

  it("reads nothing from a clause that admits many kinds of applicant", () => {
    expect(readAs("applicantKind", "注册在本市的企业、高等学校、科研机构等单位")).toEqual([]);
    expect(readAs("applicantKind", "项目申报主体应为从事舞台艺术创作演出的机构或单位")).toEqual([]);
  });

  it("takes a profile as an enterprise's unless a fact names another kind of body", () => {
    const enterprise = { type: "applicantKind" as const, kind: "企业" as const };
    const person = { type: "applicantKind" as const, kind: "个人" as const };
    expect(applicantKind.judge(enterprise, "申报单位应是…的企业", company({ employees: 30 })).status).toBe("met");
    expect(applicantKind.judge(enterprise, "申报单位应是…的企业", company({ facts: ["本馆为区属事业单位"] })).status).toBe("unmet");
    expect(applicantKind.judge(enterprise, "申报单位应是…的企业", company({ facts: ["本单位不是事业单位"] })).status).toBe("met");
    expect(applicantKind.judge(person, "申报主体为个人", company({ employees: 12 })).status).toBe("unmet");
    expect(applicantKind.question).toBeUndefined();
  });

  it("takes a model's proposal only when the clause names the kind", () => {
    expect(applicantKind.verify({ type: "applicantKind", kind: "个人" }, "申报主体为个人")).toBe(true);
    expect(applicantKind.verify({ type: "applicantKind", kind: "个人" }, "申报单位应为企业")).toBe(false);
  });

  it("bj_058 «注册或登记地在本市的单位»: any organisation may apply, a natural person may not", () => {
    const organisation = { type: "applicantKind" as const, kind: "单位" as const };
    expect(applicantKind.judge(organisation, "注册或登记地在本市的单位", company({ facts: ["本馆为区属事业单位"] })).status).toBe("met");
    expect(applicantKind.judge(organisation, "注册或登记地在本市的单位", company({ employees: 30 })).status).toBe("met");
    expect(applicantKind.judge(organisation, "注册或登记地在本市的单位", company({ facts: ["以个人名义申请"] })).status).toBe("unmet");
  });
});
