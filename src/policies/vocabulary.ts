/**
 * The words eligibility turns on: qualifications (资质), industry fields and
 * the names companies use for them. Canonical names are what policies say.
 */

/** Canonical qualification → the ways texts and companies name it (longest first matters: see findQualifications). */
export const QUALIFICATIONS: Record<string, string[]> = {
  "专精特新“小巨人”企业": ["专精特新“小巨人”", '专精特新"小巨人"', "专精特新小巨人", "“小巨人”企业", "小巨人企业", "小巨人"],
  专精特新中小企业: ["“专精特新”中小企业", "专精特新中小企业", '"专精特新"中小企业', "专精特新企业", "专精特新"],
  创新型中小企业: ["创新型中小企业"],
  中关村高新技术企业: ["中关村高新技术企业", "中关村高新"],
  高新技术企业: ["国家高新技术企业", "国家级高新技术企业", "高新技术企业", "国家高企", "高企", "高新企业"],
  科技型中小企业: ["科技型中小企业", "评价入库的科技型中小企业", "入库科技型中小企业", "科小"],
  技术先进型服务企业: ["技术先进型服务企业", "技术先进型企业", "技先企业"],
  雏鹰企业: ["雏鹰企业"],
  独角兽企业: ["独角兽企业", "独角兽"],
  瞪羚企业: ["瞪羚企业", "瞪羚"],
  上市公司: ["上市公司", "上市企业", "境内外上市", "境内上市", "境外上市", "科创板上市", "创业板上市", "主板上市", "北交所上市"],
  新三板挂牌企业: ["全国中小企业股份转让系统挂牌", "在全国中小企业股份转让系统挂牌", "新三板挂牌", "新三板"],
  企业技术中心: ["企业技术中心"],
  首台套产品: ["首台（套）重大技术装备", "首台套重大技术装备", "首台（套）", "首台套"],
};

const QUAL_PATTERNS: Array<[string, string]> = Object.entries(QUALIFICATIONS)
  .flatMap(([canonical, names]) => names.map((n) => [n, canonical] as [string, string]))
  .sort((a, b) => b[0].length - a[0].length);

/** Canonical name of a qualification a company states ("高企" → "高新技术企业"); unknown names are kept. */
export function canonicalQualification(name: string): string {
  const n = name.trim();
  const exact = QUAL_PATTERNS.find(([p]) => p === n);
  if (exact) return exact[1];
  const contained = QUAL_PATTERNS.find(([p]) => p.length >= 3 && n.includes(p));
  return contained ? contained[1] : n;
}

/** Qualifications named in a text, each once, in order of appearance. */
export function findQualifications(text: string): Array<{ name: string; index: number; raw: string }> {
  const found: Array<{ name: string; index: number; raw: string }> = [];
  let rest = text;
  for (const [pattern, canonical] of QUAL_PATTERNS) {
    const i = rest.indexOf(pattern);
    if (i < 0) continue;
    if (!found.some((f) => f.name === canonical)) found.push({ name: canonical, index: i, raw: pattern });
    rest = rest.split(pattern).join("\u0000".repeat(pattern.length));
  }
  return found.sort((a, b) => a.index - b.index);
}

// ── Qualification words for readers that recognise one without resolving it ──

/** Qualification names the segmenter keeps whole (they open retrieval's POLICY_WORDS). */
export const QUALIFICATION_WORDS = [
  "高新技术企业",
  "国家高新技术企业",
  "高企",
  "科技型中小企业",
  "专精特新",
  "专精特新中小企业",
  "小巨人",
  "单项冠军",
  "瞪羚企业",
  "独角兽企业",
  "隐形冠军",
  "雏鹰企业",
] as const;

/** Qualifications as subjects a company asks about, in the words titles use (focus: one no previous title covers is a new topic). */
export const QUALIFICATION_TOPICS = ["高新技术企业", "科技型中小企业", "专精特新", "小巨人", "瞪羚", "独角兽"] as const;

/** The part of any form of a qualification's name that says it is one: never a trade (科技型企业 is no industry), always the library's subject. */
export const QUALIFICATION_STEMS = ["科技型", "高新", "高企", "专精特新", "小巨人", "独角兽", "瞪羚", "创新型"] as const;

/** The 专精特新 ladder: 专精特新中小企业, and 专精特新“小巨人” above it; both are small or medium by definition. */
export const SPECIALISED_SME_STEMS = ["专精特新", "小巨人"] as const;

/** How companies shorten qualification names, written out as titles spell them (in place: the replacement is the title's word). */
export const QUALIFICATION_ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/国高|高企/g, "高新技术企业"],
  [/科小|科技型中小(?!企业)/g, "科技型中小企业"],
];

/** A regex alternation of words (escaped), for the readers that build their patterns from these lists. */
export const anyOf = (words: readonly string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");

/**
 * Industry fields as policies group them, with the narrower names companies
 * give. Beijing's 高精尖 fields and the common strategic emerging industries.
 */
export const FIELDS: Record<string, string[]> = {
  新一代信息技术: [
    "新一代信息技术",
    "信息技术",
    "人工智能",
    "大模型",
    "机器视觉",
    "软件",
    "软件和信息服务业",
    "信息服务",
    "工业软件",
    "集成电路",
    "芯片",
    "半导体",
    "传感器",
    "物联网",
    "大数据",
    "云计算",
    "区块链",
    "5g",
    "通信",
    "网络安全",
    "信息技术外包",
    "量子信息",
    "虚拟现实",
    "元宇宙",
    "算力",
  ],
  医药健康: ["医药健康", "生物医药", "医药", "创新药", "创新药研发", "医疗器械", "体外诊断", "生物技术", "医疗", "健康"],
  智能制造: ["智能制造", "高端装备", "智能装备", "工业机器人", "机器人", "人形机器人", "具身智能", "装备制造", "数控", "工业互联网"],
  新材料: ["新材料", "材料", "化妆品新原料"],
  绿色能源与节能环保: ["绿色能源与节能环保", "绿色能源", "节能环保", "新能源", "氢能", "储能", "光伏", "环保"],
  智能网联汽车: ["智能网联汽车", "新能源汽车", "汽车"],
  航空航天: ["航空航天", "商业航天", "航天", "低空经济", "无人机", "无人机物流", "卫星"],
  科技服务业: ["科技服务业", "科技服务", "检验检测", "工程技术", "研发服务", "技术转移", "知识产权服务"],
  文化产业: ["文化产业", "文化创意", "文化", "动漫", "动画", "影视", "游戏", "出版", "设计"],
  现代农业: ["现代农业", "农业", "种业"],
  商贸流通: ["商贸流通", "商贸", "零售", "批发", "餐饮", "电子商务", "电商", "流通"],
};

/** Fields that 高精尖产业 names in Beijing's policies. */
export const HIGH_END_FIELDS = [
  "新一代信息技术",
  "医药健康",
  "智能制造",
  "新材料",
  "绿色能源与节能环保",
  "智能网联汽车",
  "航空航天",
  "科技服务业",
  "集成电路",
  "人工智能",
  "区块链与先进计算",
];

const FIELD_PATTERNS: Array<[string, string]> = Object.entries(FIELDS)
  .flatMap(([field, names]) => names.map((n) => [n, field] as [string, string]))
  .sort((a, b) => b[0].length - a[0].length);

/** The broad fields an industry name belongs to ("体外诊断" → ["医药健康"]); empty when unknown. */
export function fieldsOf(industry: string): string[] {
  const n = industry.toLowerCase();
  const out = new Set<string>();
  for (const [name, field] of FIELD_PATTERNS) if (n.includes(name) || (name.length >= 2 && name.includes(n) && n.length >= 2)) out.add(field);
  return [...out];
}

/** Field names a policy clause lists ("新一代信息技术、医药健康…等高精尖产业领域"). */
export function findFields(text: string): string[] {
  const out = new Set<string>();
  const t = text.toLowerCase();
  for (const [name, field] of FIELD_PATTERNS) if (name.length >= 2 && t.includes(name)) out.add(field);
  if (/高精尖/.test(text)) for (const f of HIGH_END_FIELDS) out.add(f);
  return [...out];
}

/** Kinds of applicant a clause may admit or exclude. */
export const APPLICANT_KINDS: Record<string, RegExp> = {
  企业: /企业|公司|法人/,
  高校: /高等学校|高校|大学|院校/,
  科研机构: /科研院所|科研机构|研究院|研究所/,
  个人: /个人|自然人|创业者|个体户/,
  社会组织: /社会组织|非法人组织|协会|学会/,
  金融机构: /金融服务机构|金融机构|银行|担保机构|保险机构/,
};
