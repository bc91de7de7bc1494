import { describe, expect, it } from "vitest";
import { record } from "../../../src/policies/conditions/record.js";
import { company, readAs } from "./table.js";

describe("record: no major accident, violation, arrears or abnormal patent filing", () => {
  it.each([
    ["近三年未发生重大安全、质量、环境事故", ["accident"]],
    ["申报单位近两年未发生数据安全、网络安全重大事件", ["accident"]],
    ["无重大安全生产、质量和生态环境违法行为", ["violation"]],
    ["未因财政资金使用违规受到处理", ["violation"]],
    ["申请年度未拖欠职工工资和社会保险费", ["arrears"]],
    ["近两年内无非正常专利申请行为", ["patent"]],
    ["上年度未发生重大安全事故、严重环境违法行为", ["accident", "violation"]],
  ] as const)("«%s» asks for a clean record of %j", (clause, about) => {
    expect(readAs("record", clause)).toEqual([{ type: "record", about }]);
  });

  it.each([
    "无拖欠职工工资、欠缴社会保险费等严重违法违规信用记录", // kinds of a credit record: credit reads it
    "项目未获得其他市级财政资金支持", // not funded yet: unfunded reads it
    "建立安全生产管理制度", // a duty, not a record
  ])("reads no record from «%s»", (clause) => {
    expect(readAs("record", clause)).toEqual([]);
  });

  const accidents = { type: "record" as const, about: ["accident" as const] };
  const clause = "近三年未发生重大安全、质量、环境事故";
  it("passes a company that says it has the record, fails one that says the thing happened, and asks one question otherwise", () => {
    expect(record.judge(accidents, clause, company({ facts: ["近三年没有发生过安全生产事故"] })).status).toBe("met");
    expect(record.judge(accidents, clause, company({ facts: ["去年车间发生过一起较大安全事故"] })).status).toBe("unmet");
    expect(record.judge(accidents, clause, company({ facts: ["近三年无失信记录"] }))).toMatchObject({
      status: "unknown",
      question: expect.stringContaining("事故"),
    });
    const other = { type: "record" as const, about: ["arrears" as const] };
    // Two clauses about different records ask the same question: a company answers it once.
    expect(record.judge(other, "未拖欠职工工资", company()).question).toBe(record.judge(accidents, clause, company()).question);
  });

  it("needs every record the clause names", () => {
    const both = { type: "record" as const, about: ["accident" as const, "violation" as const] };
    expect(record.judge(both, "未发生重大安全事故、严重环境违法行为", company({ facts: ["近三年未发生安全事故"] })).status).toBe("unknown");
    expect(record.judge(both, "未发生重大安全事故、严重环境违法行为", company({ facts: ["近三年未发生安全事故，无违法违规行为"] })).status).toBe("met");
  });

  it("takes a model's proposal only when the clause names the record", () => {
    expect(record.verify(accidents, clause)).toBe(true);
    expect(record.verify(accidents, "未拖欠职工工资")).toBe(false);
  });
});
