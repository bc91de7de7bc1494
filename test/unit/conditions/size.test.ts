import { describe, expect, it } from "vitest";
import { size } from "../../../src/policies/conditions/size.js";
import { company, readAs } from "./table.js";

describe("size: the enterprise's class under the national 划型 standard", () => {
  it.each([
    ["申报企业为小微企业", ["小型", "微型"]],
    ["面向本市中小微企业", ["中型", "小型", "微型"]],
    ["申报单位应为中小企业", ["中型", "小型", "微型"]],
  ] as const)("«%s» asks for %j", (clause, allowed) => {
    expect(readAs("size", clause)).toEqual([{ type: "size", allowed }]);
  });

  it.each([
    "属于科技型中小企业", // a register of its own
    "国家级“专精特新”中小企业", // small or medium by definition
    "小型微型企业名录内的企业", // a register, judged as free text
    "国家知识产权示范企业、小型微型企业以及其他重点支持单位", // kinds of applicant, any of which will do
    "发挥中小企业发展基金的引导作用", // a fund's name
  ])("reads no size from «%s»", (clause) => {
    expect(readAs("size", clause)).toEqual([]);
  });

  const smallMicro = { type: "size" as const, allowed: ["小型", "微型"] as Array<"小型" | "微型"> };
  const sme = { type: "size" as const, allowed: ["中型", "小型", "微型"] as Array<"中型" | "小型" | "微型"> };
  it("takes the class the company states, a denial included, but not a register it is not on", () => {
    expect(size.judge(smallMicro, "小微企业", company({ facts: ["我们是一家中型企业"] })).status).toBe("unmet");
    expect(size.judge(smallMicro, "小微企业", company({ facts: ["属于小型企业"] })).status).toBe("met");
    expect(size.judge(sme, "中小企业", company({ facts: ["不是大型企业"] })).status).toBe("met");
    expect(size.judge(smallMicro, "小微企业", company({ facts: ["还不在小型微型企业名录里"] })).status).toBe("unknown");
  });

  it("reads only what headcount and revenue settle in every industry", () => {
    expect(size.judge(smallMicro, "小微企业", company({ employees: 12 })).status).toBe("met");
    expect(size.judge(sme, "中小企业", company({ employees: 150, revenue: 30000 })).status).toBe("met");
    expect(size.judge(smallMicro, "小微企业", company({ employees: 150, revenue: 30000 }))).toMatchObject({
      status: "unknown",
      question: expect.stringContaining("划型"),
    });
    expect(size.judge(sme, "中小企业", company({ employees: 3000, revenue: 500000 })).status).toBe("unmet");
    expect(size.judge(sme, "中小企业", company())).toMatchObject({ status: "unknown" });
  });

  it("takes a model's proposal only when the clause names the class", () => {
    expect(size.verify(smallMicro, "申报企业为小微企业")).toBe(true);
    expect(size.verify(sme, "申报企业为高新技术企业")).toBe(false);
  });
});
