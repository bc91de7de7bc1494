import { describe, expect, it } from "vitest";
import { companyFrom } from "../../../src/policies/company.js";
import { dated } from "../../../src/policies/conditions/dated.js";
import { company, readAs } from "./table.js";

describe("dated: when a contract was signed, a project built, a standard published", () => {
  it.each([
    ["在 2024 年 3 月 1 日至 12 月 31 日期间签订采购合同", { event: "contract", from: "2024-03-01", to: "2024-12-31" }],
    ["项目建设时间应为2023 年 7 月 1 日至 2024 年 6 月 30 日之间", { event: "build", from: "2023-07-01", to: "2024-06-30" }],
    ["项目应为近 3 年内完成竣工验收", { event: "finish", withinYears: 3 }],
    ["团体标准于上一年度正式发布", { event: "publication", lastYear: true }],
    // One bound: «前» leaves the day out, «（含）以后» keeps it.
    ["申报单位须为 2019 年 7 月 1 日前在本市登记注册的企业", { event: "founding", to: "2019-06-30" }],
    ["2022 年 3 月 1 日（含）以后在本区新开设的品牌旗舰店", { event: "open", from: "2022-03-01" }],
    ["2021 年 5 月 1 日（含）前签订的技术合同", { event: "contract", to: "2021-05-01" }],
  ] as const)("«%s»", (clause, expected) => {
    expect(readAs("dated", clause)).toEqual([{ type: "dated", ...expected }]);
  });

  it("reads no window from a date with no event, nor from «上一年度前»", () => {
    expect(readAs("dated", "2024 年 3 月 1 日至 12 月 31 日")).toEqual([]);
    expect(readAs("dated", "且上一年度前未安排首演的作品")).toEqual([]);
  });

  const signed = readAs("dated", "在 2024 年 3 月 1 日至 12 月 31 日期间签订采购合同")[0];
  it("is met by a date of the same event inside the window, unmet outside, and asks when none is given", () => {
    const text = "在 2024 年 3 月 1 日至 12 月 31 日期间签订采购合同";
    expect(dated.judge(signed, text, company({ facts: ["2024年6月与供应商签订了采购合同"] })).status).toBe("met");
    expect(dated.judge(signed, text, company({ facts: ["2025年1月8日签订采购合同"] })).status).toBe("unmet");
    // A date of another event says nothing of the signing.
    expect(dated.judge(signed, text, company({ facts: ["2025年1月8日项目竣工"] }))).toMatchObject({ status: "unknown", question: "合同是哪一天签订的？" });
  });

  it("counts «近N年内» and «上一年度» back from the day of judging", () => {
    const finished = readAs("dated", "项目应为近 2 年内完成竣工验收")[0];
    const text = "项目应为近 2 年内完成竣工验收";
    expect(dated.judge(finished, text, companyFrom({ facts: ["项目于2022年5月竣工验收"] }, "2026-06-30")).status).toBe("unmet");
    expect(dated.judge(finished, text, companyFrom({ facts: ["项目于2025年5月竣工验收"] }, "2026-06-30")).status).toBe("met");
    const published = readAs("dated", "国家标准于上一年度正式发布")[0];
    expect(dated.judge(published, "国家标准于上一年度正式发布", companyFrom({ facts: ["主导的国家标准2023年8月正式发布"] }, "2026-06-30")).status).toBe(
      "unmet",
    );
    expect(dated.judge(published, "国家标准于上一年度正式发布", companyFrom({ facts: ["主导的国家标准2025年8月正式发布"] }, "2026-06-30")).status).toBe("met");
  });

  it("judges a founding bound by the profile's date, or by a fact when the profile has none", () => {
    const text = "申报单位须为 2019 年 7 月 1 日前在本市登记注册的企业";
    const founded = readAs("dated", text)[0];
    expect(dated.judge(founded, text, company({ established: "2018-11-20" })).status).toBe("met");
    expect(dated.judge(founded, text, company({ established: "2019-07" })).status).toBe("unmet");
    expect(dated.judge(founded, text, company({ facts: ["公司2020年3月才注册，主营工业软件"] })).status).toBe("unmet");
    // Another party's founding is not the applicant's.
    expect(dated.judge(founded, text, company({ facts: ["被投企业2017年成立"] }))).toMatchObject({
      status: "unknown",
      question: "贵公司是哪一年哪一月注册成立的？",
    });
  });

  it("reads a shop opened before a «（含）以后» bound as outside it", () => {
    const text = "2022 年 3 月 1 日（含）以后在本区新开设的品牌旗舰店";
    const opened = readAs("dated", text)[0];
    expect(dated.judge(opened, text, company({ facts: ["旗舰店2021年12月开业"] })).status).toBe("unmet");
    expect(dated.judge(opened, text, company({ facts: ["旗舰店2022年3月开业"] })).status).toBe("met");
  });

  it("reads a building period the company states as a range at both ends", () => {
    const period = readAs("dated", "项目建设时间应为2023 年 7 月 1 日至 2024 年 6 月 30 日之间")[0];
    const text = "项目建设时间应为2023 年 7 月 1 日至 2024 年 6 月 30 日之间";
    expect(dated.judge(period, text, company({ facts: ["2023年9月至2024年3月建设了冷库"] })).status).toBe("met");
    expect(dated.judge(period, text, company({ facts: ["2023年3月至2024年3月建设了冷库"] })).status).toBe("unmet");
  });
});
