import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { sameField } from "../../src/eval/metadata-check.js";
import { loadDocument } from "../../src/ingest/loaders.js";
import { extractApplicationWindow, extractDocNumber, extractMetadata, parseDate } from "../../src/ingest/metadata.js";

describe("extractDocNumber (文号)", () => {
  it.each([
    ["关于印发《北京市x办法》的通知\n京发改规〔2023〕12 号\n", "京发改规〔2023〕12号"],
    ["穗天科工信规字〔2023〕1号", "穗天科工信规字〔2023〕1号"],
    ["武科规[2025]3号", "武科规〔2025〕3号"],
    ["国办发（2021）第 25 号", "国办发〔2021〕25号"],
    ["鄂科技发【2024】7号文件", "鄂科技发〔2024〕7号"],
  ])("reads %j as %s", (text, expected) => {
    expect(extractDocNumber(text)).toBe(expected);
  });

  it.each([
    ["关于印发《某市科技项目管理办法》的通知（某科发〔2024〕3号）\n各区科技局：", "某科发〔2024〕3号"],
    ["关于开展科技型企业入库工作的通知 京科发〔2023〕3号\n各有关单位：", "京科发〔2023〕3号"],
    ["基本信息\n文 号：\n穗府办规〔2020〕10号\n实施日期：", "穗府办规〔2020〕10号"],
    ["某区关于申报孵化器支持资金的通知\n文号：武新管科创〔2026〕21号 | 发布机构：某区管委会 | 发布日期：2026-03-20", "武新管科创〔2026〕21号"],
    ["财政部 税务总局公告2026年第12号\n现将有关事项公告如下：", "财政部 税务总局公告2026年第12号"],
  ])("reads a document's own 文号 where documents put it: %j", (text, expected) => {
    expect(extractDocNumber(text)).toBe(expected);
  });

  it("returns null when there is none", () => {
    expect(extractDocNumber("本办法自2024年1月1日起施行。")).toBeNull();
  });

  it("never takes a 文号 cited in running text, which names another document (as in corpus bj_134)", () => {
    const card = "某市养老机构运营补贴\n4．按照《某市养老服务机构信用信息管理办法》(某民福发〔2018〕\n41 号)要求，各区民政局做好信用管理。";
    expect(extractDocNumber(card)).toBeNull();
    expect(extractDocNumber("根据《某市科技计划管理办法》（某科发〔2021〕5号）规定，制定本细则。")).toBeNull();
  });
});

describe("dates and application windows", () => {
  it("parses Chinese and ISO dates", () => {
    expect(parseDate("2023年9月26日")).toBe("2023-09-26");
    expect(parseDate("2024-1-5")).toBe("2024-01-05");
    expect(parseDate("2024年13月1日")).toBeNull();
  });

  it("reads a window stated with 至 and a month-day end", () => {
    expect(extractApplicationWindow("四、申报时间\n申报时间为2026年3月1日至4月30日。")).toEqual({ start: "2026-03-01", end: "2026-04-30" });
  });

  it("reads a deadline stated with 截止", () => {
    expect(extractApplicationWindow("申报截止时间：2026年12月20日17:00").end).toBe("2026-12-20");
  });
});

describe("extractMetadata", () => {
  it("prefers front matter and reads the rest from the text", () => {
    const text = "武汉市高新技术企业认定奖励办法\n武科规〔2025〕3号\n一、申报条件\n…\n申报时间：2026年3月1日至2026年4月30日\n武汉市科学技术局\n2025年12月1日";
    const m = extractMetadata(text, { region: "湖北省武汉市" });
    expect(m).toMatchObject({
      title: "武汉市高新技术企业认定奖励办法",
      docNumber: "武科规〔2025〕3号",
      issuer: "武汉市科学技术局",
      publishedAt: "2025-12-01",
      applyStart: "2026-03-01",
      applyEnd: "2026-04-30",
      regionPath: ["湖北省", "武汉市"],
      level: "municipal",
    });
  });

  it("takes the city a provincial regulation's title names as its region (front matter gives only the province)", () => {
    // corpus law_42 and law_37: front matter region 河南
    expect(extractMetadata("第一条 为了……", { region: "河南", title: "郑州市科学技术投入条例" }).regionPath).toEqual(["河南省", "郑州市"]);
    expect(extractMetadata("第一条 为了……", { region: "河南", title: "河南省技术市场条例" }).regionPath).toEqual(["河南省"]);
    // a city of another province is not a refinement
    expect(extractMetadata("第一条 为了……", { region: "河南", title: "杭州市专利条例" }).regionPath).toEqual(["河南省"]);
  });

  it("infers the region from the issuer when nothing states it", () => {
    const m = extractMetadata("深圳市南山区科技创新局关于开展奖励申报的通知\n深圳市南山区科技创新局\n2025年3月1日");
    expect(m.regionPath).toEqual(["广东省", "深圳市", "南山区"]);
    expect(m.level).toBe("district");
  });
});

describe("titles", () => {
  const title = (text: string) => extractMetadata(text).title;

  it("joins a title a PDF broke across lines", () => {
    expect(title("某省科学技术厅关于组织申报2027年度某省工程\n技术研究中心的通知\n某科技函〔2026〕18号\n各市科技局：")).toBe(
      "某省科学技术厅关于组织申报2027年度某省工程技术研究中心的通知",
    );
    expect(title("某市科技型企业知识价值信用贷款贴息和风险补偿操\n作细则（试行）\n某科规〔2026〕2号")).toBe(
      "某市科技型企业知识价值信用贷款贴息和风险补偿操作细则（试行）",
    );
  });

  it("keeps the year in parentheses on the line under the title", () => {
    expect(title("某市科技重大专项（企业牵头）项目申报指南\n（2027年度）\n某科创〔2026〕6号\n为强化企业科技创新主体地位，现发布指南。")).toBe(
      "某市科技重大专项（企业牵头）项目申报指南（2027年度）",
    );
  });

  it("does not join the salutation, the 文号 or the first heading to the title", () => {
    expect(title("某市新型研发机构认定办法\n某科规〔2026〕4号\n第一章　总则")).toBe("某市新型研发机构认定办法");
    expect(title("关于开展2026年度项目申报的通知\n各区科技局：\n现将有关事项通知如下。")).toBe("关于开展2026年度项目申报的通知");
  });

  it("names the issued document, not the notice that issues it, when the text carries its heading (as in corpus gz_02, gz_03)", () => {
    const text =
      "某市人力资源局 某市公安局\n关于印发某市引进人才入户管理办法\n实施细则的通知\n各有关单位：\n现将细则印发给你们。\n某市人力资源局\n某市公安局\n2022年7月7日\n某市引进人才入户管理办法实施细则\n第一章 总则";
    expect(title(text)).toBe("某市引进人才入户管理办法实施细则");
    expect(title("某市人民政府办公厅关于印发某市科技奖励办法的通知\n各区人民政府：\n现印发给你们。")).toBe("某市人民政府办公厅关于印发某市科技奖励办法的通知");
  });

  it.each([
    ["bj-hd-zhuanjingtexin-2026.html", "海淀区支持专精特新中小企业高质量发展资金申报指南（2026年度）"],
    ["cn-rd-super-deduction-2026.md", "财政部 税务总局关于企业研发费用税前加计扣除政策有关执行事项的公告"],
    ["cn-sme-tech-evaluation-2026.md", "科学技术部火炬高技术产业开发中心关于做好2026年度科技型中小企业评价工作的通知"],
    ["dh-3551-talent-2027.md", "关于开展2027年度“光谷3551人才计划”申报工作的通知"],
    ["dh-compute-voucher-ai-2026.md", "东湖高新区算力券发放和人工智能大模型创新应用支持实施细则"],
    ["dh-gaoqi-peiyu-2026.md", "东湖高新区关于开展2026年度高新技术企业培育库入库工作的通知"],
    ["dh-gazelle-2026.md", "东湖高新区2026年度瞪羚企业认定和支持申报通知"],
    ["dh-incubator-2026.html", "东湖高新区管委会关于申报2026年度科技企业孵化器和众创空间支持资金的通知"],
    ["dh-proof-of-concept-2027.md", "东湖高新区概念验证中心和概念验证项目支持申报指南（2027年度第一批）"],
    ["hb-engineering-center-2027.pdf", "湖北省科学技术厅关于组织申报2027年度湖北省工程技术研究中心的通知"],
    ["hb-first-set-equipment-2027.md", "湖北省经济和信息化厅 湖北省财政厅关于组织开展2027年度首台（套）重大技术装备认定及奖补申报工作的通知"],
    ["hb-zhuanjingtexin-recognition-2027.md", "湖北省经济和信息化厅关于开展2027年度湖北省专精特新中小企业认定工作的通知"],
    ["hs-university-transfer-2026.md", "洪山区支持环大学创新发展带科技成果就地转化若干措施申报通知"],
    ["jx-tech-enterprise-ladder-2027.txt", "江夏区促进科技企业梯度培育奖励办法"],
    ["sh-xh-ai-model-2027.docx", "徐汇区支持人工智能大模型和具身智能企业创新发展项目申报通知"],
    ["sz-ns-gaoqi-reward-2025.md", "南山区科技创新专项资金国家高新技术企业认定奖励申请指南（2025年度）"],
    ["wh-enterprise-rd-center-2025.docx", "关于组织申报2025年度武汉市企业研究开发中心的通知"],
    ["wh-framework-sci-industry-2025.md", "武汉市关于推动科技创新和产业创新融合发展的若干措施"],
    ["wh-gaoqi-reward-2026.md", "武汉市科技创新局 武汉市财政局关于组织申报2026年度高新技术企业认定奖励资金的通知"],
    ["wh-innovation-voucher-2026.md", "2026年度武汉市科技创新券申领与兑付指南"],
    ["wh-knowledge-value-loan-2026.pdf", "武汉市科技型企业知识价值信用贷款贴息和风险补偿操作细则（试行）"],
    ["wh-major-projects-2027.pdf", "武汉市科技重大专项（企业牵头）项目申报指南（2027年度）"],
    ["wh-new-rd-institution-2026.docx", "武汉市新型研发机构认定和绩效评价管理办法"],
    ["wh-patent-funding-2026.md", "武汉市发明专利资助和高价值专利培育实施细则"],
    ["wh-postdoc-2026-gbk.txt", "武汉市人力资源和社会保障局关于做好2026年度博士后建站资助和日常经费资助申报工作的通知"],
    ["wh-rd-investment-reward-2026.md", "关于组织开展2026年度武汉市企业研发投入奖励申报工作的通知"],
    ["wh-scenario-open-2026-gbk.html", "武汉市科技创新局关于征集2026年度科技创新应用场景示范项目的通知"],
    ["wh-tech-insurance-2026.md", "武汉市科技保险保费补贴申报指南（2026年）"],
    ["wh-tech-transfer-reward-2027.md", "武汉市技术合同登记与技术转移奖补申报指南（2027年度）"],
    ["wh-zhuanjingtexin-reward-2026.html", "市经信局关于组织申报2026年度专精特新企业奖励资金的通知"],
  ])("reads the demo document %s as titled %s", async (file, expected) => {
    const doc = await loadDocument(file, new Uint8Array(await readFile(`data/policies/${file}`)));
    expect(extractMetadata(doc.text, doc.meta, { title: doc.title, fileName: file }).title).toBe(expected);
  });
});

describe("issuers", () => {
  const issuer = (text: string) => extractMetadata(text).issuer;

  it("reads a 发布机关 label whose value is on the next line", () => {
    expect(issuer("基本信息\n发布机关：\n某市人民政府办公厅\n文件状态：")).toBe("某市人民政府办公厅");
  });

  it("reads a web page's info bar with several fields on one line", () => {
    expect(issuer("某区专精特新资金申报指南\n发布机构：北京市某区科学技术和信息化局　发布日期：2026-08-21")).toBe("北京市某区科学技术和信息化局");
  });

  it("reads the signature block, one body a line or several on one line, joined with 、", () => {
    expect(issuer("通知正文。\n某市人力资源和社会保障局\n某市公安局\n2022年7月7日\n附件")).toBe("某市人力资源和社会保障局、某市公安局");
    expect(issuer("某市贷款贴息细则\n某科规〔2026〕2号\n某市科技创新局 某市财政局 某市地方金融工作局 2026年6月10日")).toBe(
      "某市科技创新局、某市财政局、某市地方金融工作局",
    );
    expect(issuer("某市研发机构管理办法\n某市科技创新局　某市财政局　2026年10月30日印发")).toBe("某市科技创新局、某市财政局");
  });

  it("does not take a web page's 信息来源, which names the office that posted it", () => {
    expect(issuer("某市创业补贴问答\n发表时间：2025-11-18 17:37\n信息来源： 市人社局 市就业服务中心")).toBeNull();
  });

  it("does not take a line that merely ends like an office (as in corpus bj_056, bj_102) or a card's contact (联络方式)", () => {
    expect(issuer("某市技术创新中心建设\n【服务对象】\n技术创新中心\n【条件要求】\n符合要求的电影院")).toBeNull();
    expect(issuer("某市老旧厂房改造\n【时间/频度】\n从 2023 年 9 月起\n【联络方式】\n北京市发展和改革委员会：55590088")).toBeNull();
  });
});

describe("comparing what the text gives with the front matter (metadata eval)", () => {
  it.each([
    ["title", "专利法", "中华人民共和国专利法", true],
    ["title", "某省实施《中小企业促进法》办法", "某省实施《中华人民共和国中小企业促进法》办法", true],
    ["title", "某市科技奖励办法", "某市科技奖励办法实施细则", false],
    ["issuer", "某市财政局、某市市场监督管理局", "某市市场监督管理局 某市财政局", true],
    ["issuer", "某市财政局、某市市场监督管理局", "某市财政局", false],
    ["issuer", "某市商务委员会/某市商务局", "某市商务局", true],
    ["docNumber", "京商财务字〔2022〕16 号/京商财务字〔2022〕22 号", "京商财务字〔2022〕22号", true],
    ["docNumber", "京商财务字〔2022〕16 号", "京商财务字〔2022〕1号", false],
    ["date", "2023-10-25/2023-11-17", "2023-11-17", true],
    ["date", "2023-10-25", "2023-10-26", false],
  ] as const)("%s: front matter %s, text %s → %s", (field, expected, extracted, same) => {
    expect(sameField(field, expected, extracted)).toBe(same);
  });
});
