import { describe, expect, it } from "vitest";
import { text } from "../../../src/policies/conditions/text.js";
import { company, readAs } from "./table.js";

describe("text: what no other kind reads", () => {
  it.each([
    ["bj_066", "企业掌握前沿技术"],
    ["(written)", "符合条件的用人单位招用员工（不含法定代表人）"],
  ])("%s «%s» is left to the company's word", (_doc, clause) => {
    expect(readAs("text", clause)).toEqual([{ type: "text" }]);
  });

  it("adds nothing to a clause another kind reads, nor to a bare list of applicants", () => {
    expect(readAs("text", "具有独立法人资格")).toEqual([]);
    expect(readAs("text", "以及高等学校、科研机构等创新主体")).toEqual([]);
    expect(readAs("text", "其他")).toEqual([]);
  });

  const check = { type: "text" as const };
  it("is met by a fact that says the same, unmet by one that contradicts it, and asks otherwise", () => {
    expect(text.judge(check, "企业掌握前沿技术", company({ facts: ["企业掌握多项前沿技术"] })).status).toBe("met");
    expect(text.judge(check, "未获得其他市级财政资金支持", company({ facts: ["已获得市级财政资金支持"] })).status).toBe("unmet");
    expect(text.judge(check, "企业掌握前沿技术", company())).toMatchObject({ status: "unknown", question: "贵公司是否符合：企业掌握前沿技术？" });
  });

  it("checks a span the condition requires against the one the company states", () => {
    const clause = "连续3个月为员工缴纳社会保险费";
    expect(text.judge(check, clause, company({ facts: ["已连续5个月为员工缴纳社会保险费"] })).status).toBe("met");
    expect(text.judge(check, clause, company({ facts: ["已连续2个月为员工缴纳社会保险费"] })).status).toBe("unmet");
  });

  it("counts years since graduation («毕业5年内»)", () => {
    expect(text.judge(check, "高校毕业生（毕业5年内）", company({ facts: ["2022届普通高校本科毕业生"] })).status).toBe("met");
  });

  it("never takes a model's free text as structure", () => {
    expect(text.verify(check, "企业掌握前沿技术")).toBe(false);
  });

  it("bj_027 «且被纳入《…台账》的…存量空间»: a fact denying the condition in its own words is unmet, though it says less", () => {
    const clause = "且被纳入《老旧厂房改造再利用台账》的老旧工业厂房、仓储用房等相关存量空间";
    expect(text.judge({ type: "text" }, clause, company({ facts: ["该厂房还未被纳入《老旧厂房改造再利用台账》"] })).status).toBe("unmet");
    expect(text.judge({ type: "text" }, clause, company({ facts: ["没有知识产权纠纷"] })).status).toBe("unknown");
  });

  it("bj_090 «项目为 2020 年 1 月后启动建设»: the company's date for the same event on the wrong side of the bound is unmet", () => {
    const clause = "项目为 2020 年 1 月后启动建设";
    expect(text.judge({ type: "text" }, clause, company({ facts: ["项目2019年6月开工"] })).status).toBe("unmet");
    expect(text.judge({ type: "text" }, clause, company({ facts: ["项目2021年3月开工"] })).status).not.toBe("unmet");
    expect(text.judge({ type: "text" }, "并于 2023 年 5 月前建设完成并投入实际运行", company({ facts: ["2024年2月建成投用"] })).status).toBe("unmet");
    // A date of another event («成立») says nothing of when the project started.
    expect(text.judge({ type: "text" }, clause, company({ facts: ["公司2015年成立"] })).status).toBe("unknown");
    expect(text.judge({ type: "text" }, "2020 年 1 月 1 日后注册成立的机构", company({ facts: ["公司2015年成立"] })).status).toBe("unmet");
  });

  it("bj_024 «细分行业市场占有率全国前 10 名», bj_068 «至少由两位正高级技术专家实名推荐»: a rank or head count on the wrong side is unmet", () => {
    const rank = "细分行业市场占有率全国前 10 名";
    expect(text.judge({ type: "text" }, rank, company({ facts: ["我们的细分行业市场占有率排第12名"] })).status).toBe("unmet");
    expect(text.judge({ type: "text" }, rank, company({ facts: ["细分行业市场占有率排第3名"] })).status).not.toBe("unmet");
    const heads = "且至少由两位正高级技术专家实名推荐";
    expect(text.judge({ type: "text" }, heads, company({ facts: ["仅有一位正高级技术专家同意推荐"] })).status).toBe("unmet");
    expect(text.judge({ type: "text" }, heads, company({ facts: ["已有三位正高级技术专家实名推荐"] })).status).not.toBe("unmet");
  });

  it("bj_090 «未获得其他市级财政资金支持»: unmet when the company says it got public funding, whatever the words", () => {
    const clause = "项目未获得其他市级财政资金支持";
    expect(text.judge({ type: "text" }, clause, company({ facts: ["去年拿到过区里的专项资金补助"] })).status).toBe("unmet");
    expect(text.judge({ type: "text" }, clause, company({ facts: ["从未获得财政资金支持"] })).status).not.toBe("unmet");
  });
});

describe("text: alternatives, recognitions and several facts", () => {
  const check = { type: "text" as const };
  const clause = "申报主体应为经主管部门认定的非遗工坊企业或经行业协会认定的民族手工艺企业";
  it("is met when the company states one alternative, and unmet when it denies them", () => {
    expect(text.judge(check, clause, company({ facts: ["经行业协会认定的民族手工艺企业，做银饰"] })).status).toBe("met");
    expect(text.judge(check, clause, company({ facts: ["未被行业协会认定为民族手工艺企业"] })).status).toBe("unmet");
  });

  it("asks for the recognition when a clause says the applicant is an enterprise that someone recognised", () => {
    expect(readAs("text", clause)).toEqual([{ type: "text" }]);
    expect(readAs("text", "申报单位应是在北京地区注册的企业")).toEqual([]);
  });

  it("takes several facts together when each states a fair share of the condition", () => {
    const joint = "已经完成剧本创作且尚未进行商业首演";
    expect(text.judge(check, joint, company({ facts: ["已经完成剧本创作", "尚未进行商业首演"] })).status).toBe("unknown");
    expect(text.judge(check, "已完成样机研制并已通过第三方检测", company({ facts: ["已完成样机研制", "样机已通过第三方检测"] })).status).toBe("met");
  });

  it("asks the rest of a dated clause that demands more than the date", () => {
    expect(readAs("text", "在 2024 年 3 月 1 日至 12 月 31 日期间签订采购合同并实际发生可形成固定资产投资的设备购置项目")).toEqual([{ type: "text" }]);
    expect(readAs("text", "项目应为近 2 年内完成竣工验收")).toEqual([]);
  });
});

describe("text: a document named in 《》", () => {
  const check = { type: "text" as const };
  const clause = "已按时向主管部门报送上年度《企业创新活动调查表》";
  it("is met by a fact naming the same document with the same act, and not by one that denies it", () => {
    expect(text.judge(check, clause, company({ facts: ["今年3月已报送上年度企业创新活动调查表"] })).status).toBe("met");
    expect(text.judge(check, clause, company({ facts: ["企业创新活动调查表还没有报送"] })).status).not.toBe("met");
    expect(text.judge(check, clause, company({ facts: ["企业创新活动调查表正在填写"] })).status).toBe("unknown");
  });
});

describe("text: a fact that denies a harm", () => {
  const check = { type: "text" as const };
  it("says the condition holds rather than contradicting it («没有产权纠纷» for «产权清晰»)", () => {
    expect(text.judge(check, "申报项目用地产权清晰", company({ facts: ["项目用地没有产权纠纷"] })).status).not.toBe("unmet");
    expect(text.judge(check, "近三年未发生较大及以上生产安全事故", company({ facts: ["近三年没有发生过安全事故"] })).status).not.toBe("unmet");
    // A denial of what the condition asks is still a contradiction.
    expect(text.judge(check, "申报项目用地产权清晰", company({ facts: ["项目用地产权目前还不清晰"] })).status).toBe("unmet");
  });
});
