import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chunkPolicyText } from "../../src/ingest/chunk.js";
import { splitFrontMatter } from "../../src/ingest/loaders.js";
import { fixture } from "../helpers/corpus.js";

const corpus = (id: string) => splitFrontMatter(readFileSync(fixture(id), "utf8"));
const squash = (s: string) => s.replace(/\s+/g, "");

describe("chunkPolicyText on real policy text", () => {
  it("keeps a numbered condition whole even where the PDF broke it across lines and a 【条件要求】 marker", async () => {
    const { body, meta } = corpus("bj_065");
    const chunks = await chunkPolicyText(body, { title: String(meta.title) });
    const condition =
      "1．企业注册成立不超过5年（含），或当年入库的科技型中小企业。上一会计年度年末从业人员100人（含）以下，上一会计年度营业收入2000万元（含）以下。";
    const holders = chunks.filter((c) => squash(c.text).includes(squash(condition)));
    expect(holders).toHaveLength(1);
    // The item goes on to its last clause inside the same chunk.
    expect(squash(holders[0].text)).toContain("最近一个会计年度研发费用100万元（含）以上。");
  });

  it("keeps each 第X条 article's listed conditions whole and labels chunks with the article", async () => {
    const { body, meta } = corpus("gz_02");
    const chunks = await chunkPolicyText(body, { title: String(meta.title) });
    const items = [
      "（二）具有博士研究生学历，或具有博士学位，或具有高级职称的人员，年龄需在50周岁以下。",
      "2.获得证书或考核认定后，在本市工作、参加社会保险满半年以上；",
    ];
    for (const item of items) expect(chunks.some((c) => c.text.includes(item))).toBe(true);
    expect(chunks.some((c) => c.heading?.includes("第五条"))).toBe(true);
  });

  it("makes chunks of bounded size with headings from 一、/（一） structure", async () => {
    const text = [
      "一、支持对象",
      "在武汉市注册的科技型企业。",
      "二、申报条件",
      ...Array.from(
        { length: 12 },
        (_, i) => `${i + 1}．条件${i + 1}：企业上年度研发费用不低于${(i + 1) * 10}万元，且研发费用占营业收入比例不低于${i + 3}%，近三年无严重失信行为记录。`,
      ),
      "三、支持标准",
      "给予一次性奖励30万元。",
    ].join("\n");
    const chunks = await chunkPolicyText(text, { maxChars: 300 });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(300);
    const conditionChunks = chunks.filter((c) => c.heading?.includes("二、申报条件"));
    expect(conditionChunks.length).toBeGreaterThan(1);
    // every numbered condition lands whole in some chunk
    for (let i = 1; i <= 12; i++) expect(chunks.some((c) => c.text.includes(`${i}．条件${i}：`) && c.text.includes(`不低于${i + 2}%，近三年`))).toBe(true);
    expect(chunks.at(-1)?.heading).toContain("三、支持标准");
  });

  it("cuts a single paragraph longer than the limit at sentence ends", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}句话说明支持政策的具体内容。`).join("");
    const chunks = await chunkPolicyText(long, { maxChars: 200 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(200);
      expect(c.text.endsWith("。")).toBe(true);
    }
  });
});

describe("the cells of a PDF policy card", () => {
  // Lines of my own, laid out as the cards' PDF table puts them: the 【服务流程】 marker sits at the middle of
  // its cell, below the first steps, after a list of conditions numbered 1．2．
  const card = [
    "【条件要求】",
    "1．在本区注册并实际经营，具有独立法人资格，财务管理制度健全，近三年无不良信用记录。",
    "2．上年度研发投入不低于200万元，研发人员占职工总数的比例不低于10%，拥有有效发明专利。",
    "1．发布通知。主管部门在官网发布年度申报通知。",
    "2．组织申报。申报单位通过区政务服务网填报申请书。",
    "【服务流程】",
    "3．组织评审。主管部门组织专家评审。",
    "4．拨付资金。公示5个工作日后拨付。",
    "【联络方式】",
    "区科技局：12345678",
  ].join("\n");

  it("starts the process cell where its numbered steps start, above the marker", async () => {
    const chunks = await chunkPolicyText(card, { title: "某区研发补贴" });
    const process = chunks.find((c) => c.heading === "服务流程")!;
    expect(process.text.startsWith("1．发布通知。")).toBe(true);
    expect(process.text).toContain("4．拨付资金。");
    const conditions = chunks.find((c) => c.heading === "条件要求")!;
    expect(conditions.text).toContain("2．上年度研发投入不低于200万元");
    expect(conditions.text).not.toContain("发布通知");
  });
});
