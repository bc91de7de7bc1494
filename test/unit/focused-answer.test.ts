import { describe, expect, it } from "vitest";
import { type PolicyCard, stackingOf } from "../../src/answer/extractive.js";
import { composeFocusedAnswer, detailSentences, largestAmount } from "../../src/answer/focused.js";
import type { StoredChunk } from "../../src/policies/policy.js";

const chunk = (id: string, heading: string, text: string) => ({ id, policyId: "p", heading, text }) as unknown as StoredChunk;
const card = (id: string, title: string, support: string | null): PolicyCard =>
  ({ id, title, support, conditions: [], citations: [], deadline: null, howToApply: null }) as unknown as PolicyCard;

describe("the sentences that answer a follow-up", () => {
  const chunks = [
    chunk("p#1", "一、支持标准", "对首次认定的企业给予30万元奖励。本通知自2026年3月2日起施行。"),
    chunk("p#2", "四、申报时间", "申报时间为2026年4月1日至5月15日，逾期不予受理。"),
    chunk("p#3", "五、申报材料", "申报单位须提交申报书、营业执照复印件和上年度财务审计报告。"),
    chunk("p#4", "六、其他", "同一项目已获市级财政资金支持的，不重复支持。联系电话：027-87654321。"),
  ];
  it.each([
    ["deadline", "申报时间为2026年4月1日至5月15日"],
    ["materials", "申报书、营业执照复印件"],
    ["stackable", "不重复支持"],
    ["contact", "027-87654321"],
  ] as const)("finds the %s sentence in its own section or words", (intent, expected) => {
    const [best] = detailSentences(chunks, intent, new Set());
    expect(best.sentence).toContain(expected);
  });

  it("lists a condition the criteria reader found outside the conditions section, and leaves out an exception", () => {
    // A PDF card whose 【条件要求】 marker floated below the cell's first item.
    const card = [
      chunk("c#1", "服务内容", "对认定的平台给予最高200万元支持。1．申报单位应在本市注册，具有独立法人资格。"),
      chunk("c#2", "条件要求", "2．拥有专职服务团队。新设立不满 2 年的平台，服务团队要求可适当放宽。3．须近三年无严重失信记录。4．应具备健全的财务管理制度。"),
    ];
    const conditions = ["申报单位应在本市注册", "具有独立法人资格", "拥有专职服务团队", "须近三年无严重失信记录", "应具备健全的财务管理制度"];
    const picked = detailSentences(card, "conditions", new Set(), 3, { conditions }).map((p) => p.sentence);
    expect(picked.some((s) => s.includes("应在本市注册"))).toBe(true);
    expect(picked.some((s) => s.includes("适当放宽"))).toBe(false);
    // Without the criteria, the chunk's heading alone puts that sentence outside the conditions.
    expect(detailSentences(card, "conditions", new Set(), 3).some((p) => p.sentence.includes("应在本市注册"))).toBe(false);
  });

  it("quotes the sentence with the largest sum on offer when the question asks for the most", () => {
    const support = [
      chunk("s#1", "", "1．对新开设的门店，按投资额的最高 30%给予支持，旗舰店最高给予 300 万元支持，其他门店最高给予 50 万元支持。"),
      chunk("s#2", "服务内容", "2．对引进门店的运营方，每引进 1 家最高给予 10 万元奖励。"),
    ];
    const [asked] = detailSentences(support, "amount", new Set(), 1);
    expect(asked.sentence).toContain("10 万元");
    const [most] = detailSentences(support, "amount", new Set(), 1, { most: true });
    expect(most.sentence).toContain("300 万元");
  });

  it("does not take the day a text took effect, its term of validity or a bare heading for a deadline", () => {
    const picked = detailSentences(
      [chunks[0], chunk("p#5", "第十条", "第十条 申报时间。本办法自2027年1月1日起施行，有效期至2028年12月31日。")],
      "deadline",
      new Set(),
    );
    expect(picked).toEqual([]);
  });
});

describe("which policy offers the most", () => {
  it.each([
    ["对首次认定的企业给予30万元奖励，最高不超过50万元。", 50],
    ["对上年度研发费用不低于1000万元的企业，给予最高200万元补助。", 200],
    ["按研发投入的10%给予补助，单个企业最高1.5亿元。", 15000],
    ["营业收入首次突破5亿元的，奖励100万元。", 100],
  ])("reads the sum on offer, not the figure an applicant must reach: %s", (support, wan) => {
    expect(largestAmount(card("a", "甲", support))).toBe(wan);
  });

  it("names the policy with the largest sum first and lists every policy", () => {
    const answer = composeFocusedAnswer(
      [card("a", "小额奖励办法", "给予10万元奖励。"), card("b", "重大项目办法", "给予最高500万元资助。")],
      "compare",
      new Map(),
    );
    expect(answer.startsWith("按政策原文，支持金额最高的是《重大项目办法》，最高 500万元。")).toBe(true);
    expect(answer).toContain("《小额奖励办法》");
  });
});

describe("whether policies can be combined", () => {
  const pair = [card("a", "区级奖励办法", null), card("b", "市级奖励通知", null)];
  it.each([
    [
      "同一企业同一事项按“从优、就高、不重复”原则享受政策[1]",
      /^这两项政策不能同时享受：《区级奖励办法》规定同一企业同一事项按“从优、就高、不重复”原则享受政策\[1\]。/,
    ],
    ["同一项目不得重复申报[1]", /^这两项政策不能同时享受：《区级奖励办法》规定同一项目不得重复申报\[1\]。/],
    ["获得本办法支持的，可叠加享受市级奖励[1]", /^可以，这两项政策可同时享受：《区级奖励办法》规定获得本办法支持的，可叠加享受市级奖励\[1\]。/],
  ])("answers yes or no for the pair in its first sentence from the clause «%s»", (clause, expected) => {
    const answer = composeFocusedAnswer(pair, "stackable", new Map([["a", [clause]]]));
    expect(answer).toMatch(expected);
  });

  it("says the texts do not state it when no clause speaks to combining", () => {
    const answer = composeFocusedAnswer(pair, "stackable", new Map());
    expect(answer.startsWith("原文未写明这两项政策能否同时享受")).toBe(true);
  });

  it("names the policies whose texts say nothing once, together, after the one that decides", () => {
    const four = [card("a", "甲办法", null), card("b", "乙通知", null), card("c", "丙细则", null), card("d", "丁指南", null)];
    const answer = composeFocusedAnswer(four, "stackable", new Map([["b", ["同一项目不得重复申报[1]"]]]));
    const lines = answer.split("\n");
    expect(lines[0]).toMatch(/^不能同时享受：《乙通知》规定同一项目不得重复申报\[1\]。/);
    expect(lines[1]).toBe("《甲办法》、《丙细则》、《丁指南》原文未写明能否与其他政策同时享受。");
  });

  it("lets a clause that forbids combining decide over one that allows it", () => {
    const answer = composeFocusedAnswer(
      pair,
      "stackable",
      new Map([
        ["a", ["区级奖励照常兑现[1]"]],
        ["b", ["已享受省级补贴的，不再给予市级补贴[2]"]],
      ]),
    );
    expect(answer).toMatch(/^这两项政策不能同时享受：《市级奖励通知》规定/);
  });
});

describe("the sentences that say how to apply", () => {
  const chunks = [
    chunk("p#1", "五、组织实施", "区科技局负责项目申报的统筹协调和监督指导。"),
    chunk(
      "p#2",
      "六、申报流程",
      "区科技局组织专家评审，评审结果在官网公示5个工作日。申报单位登录区政务服务网申报系统在线填报并提交申报材料。公示无异议的，按程序拨付资金。",
    ),
  ];
  it("leads with where to file, then the steps in the text's order, and leaves out who is in charge of what", () => {
    const picked = detailSentences(chunks, "process", new Set(), 3).map((p) => p.sentence);
    expect(picked[0]).toContain("登录区政务服务网申报系统");
    expect(picked.slice(1)).toEqual(["区科技局组织专家评审，评审结果在官网公示5个工作日。", "公示无异议的，按程序拨付资金。"]);
  });

  // Sentences of my own, laid out as a PDF policy card is: the left column's label lands inside a sentence of the right one.
  it("makes whole a step a card's column label broke in two, and reads a letter-spaced line", () => {
    const card = [
      chunk(
        "c#1",
        "服务流程",
        "区县推荐及资格审查，推荐单位通过实地核验的方式对拟推荐办理流程\n\n的服务机构进行审查，并提交申报材料→专家评审，对入围单位进行现场答辩→公示及认定。",
      ),
      chunk("c#2", "服务流程", "申 请 单 位 登 录 区 政 务 服 务 网 在 线 填 报 申 请 表，并上传附件→主管部门受理并审核。"),
    ];
    const picked = detailSentences(card, "process", new Set(), 2).map((p) => p.sentence);
    expect(picked.some((s) => s.includes("对拟推荐的服务机构进行审查"))).toBe(true);
    expect(picked.some((s) => s.startsWith("申请单位登录区政务服务网在线填报申请表"))).toBe(true);
  });

  it("answers a procedure written as numbered, named steps with the names in order, where to file and the time limits", () => {
    const card = [
      chunk("c#1", "条件要求", "1．在本区注册，具有独立法人资格。"),
      chunk(
        "c#2",
        "服务流程",
        "1．发布通知。主管部门在官网发布年度申报通知。\n2．组织申报。申报单位通过区政务服务网填报申请书。\n3．组织评审。主管部门组织专家评审。\n4．拨付资金。公示5个工作日后拨付。",
      ),
    ].map((c, i) => ({ ...c, position: i }) as StoredChunk);
    const [steps] = detailSentences(card, "process", new Set(), 3).map((p) => p.sentence);
    expect(steps).toBe("发布通知→组织申报（通过区政务服务网填报）→组织评审→拨付资金（公示5个工作日后拨付）。");
  });

  it("answers a procedure written as named steps with the names in order and their time limits, across a card's marker", () => {
    const card = [
      chunk(
        "c#1",
        "服务内容",
        "报送材料。申报单位在线填写申请表，上传证明材料→形式审查。区经信局对材料进行审查→专家评审。组织专家对申报单位打分，形成入\n\n【服务流程】",
      ),
      chunk("c#2", "服务流程", "围名单→现场核查。对入围单位进行实地核查→结果公示。在区政府网站公示，公示期为 7 个工作日→认定授牌。公示无异议的予以认定。"),
    ].map((c, i) => ({ ...c, position: i }) as StoredChunk);
    const [steps] = detailSentences(card, "process", new Set(), 3).map((p) => p.sentence);
    expect(steps).toBe("报送材料→形式审查→专家评审→现场核查→结果公示（公示期为 7 个工作日）→认定授牌。");
  });

  it("ends a cell at a 【…】 marker unless the line before stops at a comma", () => {
    const card = [chunk("c#1", "时间/频度", "【时间/频度】\n\n每年 3 月左右受理，一般每年一次\n\n【联络方式】\n\n区市场监管局：12345678")];
    const picked = detailSentences(card, "deadline", new Set(), 2).map((p) => p.sentence);
    expect(picked.some((s) => s.includes("一般每年一次") && s.includes("12345678"))).toBe(false);
  });

  // Sentences of my own in the shape of a statute (条例), which has no procedure of its own.
  it("says nothing of a procedure a text does not state: steps of other procedures named in passing are not one", () => {
    const statute = [
      chunk("s#1", "第二章 创新主体", "科研事业单位可以在职称评审、科研立项、成果处置等方面享有更大自主权。"),
      chunk("s#2", "第三章 创新环境", "市科技部门应当建立线上线下技术供需对接平台，推荐优秀项目。"),
    ];
    expect(detailSentences(statute, "process", new Set(), 3)).toEqual([]);
    // The same words, once the text says where and how to file, answer.
    const notice = [...statute, chunk("s#3", "第四章 组织实施", "申报单位登录市政务服务网在线提交申请，主管部门在10个工作日内完成审核。")];
    expect(detailSentences(notice, "process", new Set(), 3).map((p) => p.sentence)).toEqual([
      "申报单位登录市政务服务网在线提交申请，主管部门在10个工作日内完成审核。",
    ]);
  });

  it("takes the applicant handing in its application for a step, wherever the article stands; never a page's comment form", () => {
    const chunks = [
      chunk("a#1", "第三章 资金管理", "第九条项目申报主管部门发布年度项目指南。申请单位根据要求向指定的受理部门提交申报材料，并对材料的真实性负责。"),
      chunk("a#2", "第五章 附则", "公众意见*姓 名：*手机号码：发送留言。如果您已经注册请先登录。"),
    ];
    expect(detailSentences(chunks, "process", new Set(), 3).map((p) => p.sentence)).toEqual([
      "申请单位根据要求向指定的受理部门提交申报材料，并对材料的真实性负责。",
    ]);
  });

  it("keeps with a step the clause that says what is done after the one that says on what grounds", () => {
    const card = [
      chunk("c#1", "服务流程", "申报单位在线填写申请书→主管部门组织专家评审，形成评审意见→主管部门根据评审意见，确定认定名单并公示→公示无异议的，予以授牌。"),
    ];
    const [steps] = detailSentences(card, "process", new Set(), 1).map((p) => p.sentence);
    expect(steps).toContain("主管部门根据评审意见，确定认定名单并公示");
    expect(steps).toContain("公示无异议的，予以授牌");
  });

  it("fits the steps it quotes in the answer's room by merit: a long, less apt sentence earlier in the text gives way", () => {
    // Every clause carries a time limit, so compacting the sentence keeps it long.
    const long = `主管部门收到申请后，在30个工作日内作出决定，${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `第${n}类事项在${n + 5}个工作日内出具审查意见`).join("，")}。`;
    const chunks = [
      chunk("l#1", "第三章 许可管理", long),
      chunk("l#2", "第四章 登记办理流程", "申请人登录市政务服务网提交登记申请，主管部门在3个工作日内办结登记。"),
    ].map((c, i) => ({ ...c, position: i }) as StoredChunk);
    expect(long.length).toBeGreaterThan(180);
    expect(detailSentences(chunks, "process", new Set(), 4).map((p) => p.sentence)).toEqual([
      "申请人登录市政务服务网提交登记申请，主管部门在3个工作日内办结登记。",
    ]);
  });

  it("takes registering and issuing a certificate for steps, but not where a company is registered", () => {
    const chunks = [
      chunk("r#1", "第三章 合同管理", "主管部门应当自收到文件之日起3个工作日内，对合同进行登记，颁发登记证。申请人应在本市登记注册满3个工作日。"),
    ];
    expect(detailSentences(chunks, "process", new Set(), 3).map((p) => p.sentence)).toEqual([
      "主管部门应当自收到文件之日起3个工作日内，对合同进行登记，颁发登记证。",
    ]);
  });

  it("reads a voucher's 申领 section as its procedure, and a section on who may claim as no procedure", () => {
    const chunks = [
      chunk("v#1", "一、申领条件", "在本市注册登记满1年，具有独立法人资格。已取得科技型中小企业入库登记编号。"),
      chunk("v#2", "第三章　申领和兑付", "券面额度按季度发放，用完即止。企业在市政务服务网“创新券专区”在线申领，提交营业执照和服务合同。"),
    ];
    expect(detailSentences(chunks, "process", new Set(), 3).map((p) => p.sentence)).toEqual([
      "企业在市政务服务网“创新券专区”在线申领，提交营业执照和服务合同。",
    ]);
  });

  it("does not take a sum on offer for a step, though the sentence names one", () => {
    const chunks = [
      chunk("f#1", "三、申报程序", "申请人提交专利申请并获得授权后，每件资助不超过 2000 元。申请人通过区知识产权服务平台提交资助申请，区知识产权局组织审核。"),
    ];
    expect(detailSentences(chunks, "process", new Set(), 3).map((p) => p.sentence)).toEqual([
      "申请人通过区知识产权服务平台提交资助申请，区知识产权局组织审核。",
    ]);
  });

  it("does not take the words that introduce the steps for the first step, nor cut an address in two", () => {
    const card = [
      chunk(
        "c#1",
        "服务流程",
        "资金申报以当年通知为准，主要包括以下环节：网上提交申请表，申报单位通过管理平台（http://example.gov.cn）提交申请表→专家评审，主管部门组织专家开展评审→名单公示，公示期为 7 个工作日→拨付资金。",
      ),
    ];
    const [step] = detailSentences(card, "process", new Set(), 1).map((p) => p.sentence);
    expect(step).toBe("网上提交申请表→专家评审→名单公示，公示期为 7 个工作日→拨付资金");
  });
});

describe("the sentence that says how much", () => {
  it("puts the rule before a clause on combining it with other support", () => {
    const card = [
      chunk(
        "a#1",
        "三、奖励标准",
        "已获得省级补助的企业可以同时申报，但市级奖励与省级补助合计不超过研发费用增量的20%。对符合条件的企业，按研发费用增量的10%给予奖励，单个企业最高300万元。",
      ),
    ];
    const [best] = detailSentences(card, "amount", new Set(), 1).map((p) => p.sentence);
    expect(best).toContain("10%给予奖励");
  });
});

describe("whether a policy can be combined with others", () => {
  it.each([
    ["同一项目已获得市级财政资金支持的，不再重复支持。", "no"],
    ["企业可同时申报本市其他支持政策。", "yes"],
    ["符合多项奖励条件的，按就高原则给予奖励，不重复享受。", "no"],
    // Choosing the best applicants is not a rule on combining support.
    ["专项资金按照公开申报、专家评审、择优支持的原则确定资助项目。", "unstated"],
    ["多个项目可择优申报一项。", "no"],
    ["同一企业不得兼报本计划两类项目。", "no"],
    ["符合两项奖励条件的，企业可择一申报。", "no"],
  ] as const)("«%s» → %s", (sentence, verdict) => {
    expect(stackingOf([sentence]).verdict).toBe(verdict);
  });
});

describe("a detail the text does not state", () => {
  it("says it is missing and whom to ask: the policy's issuer", () => {
    const silent = { ...card("s", "某区人才公寓管理办法", null), issuer: "某区人力资源和社会保障局" } as PolicyCard;
    expect(composeFocusedAnswer([silent], "process", new Map([["s", []]]))).toMatch(
      /^《某区人才公寓管理办法》：政策原文未写明申报流程，可向某区人力资源和社会保障局咨询/,
    );
    expect(composeFocusedAnswer([silent], "materials", new Map([["s", []]]))).toMatch(/未列出申报材料清单.*可向某区人力资源和社会保障局咨询/);
  });
});
