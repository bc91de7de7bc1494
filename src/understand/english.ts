/**
 * English questions, read as Chinese: the common policy terms an English
 * message uses, mapped to the words policy texts use, so that retrieval and the
 * fact readers see a Chinese question ("high-tech enterprise subsidy in Wuhan"
 * → "武汉 高新技术企业 补贴"). Words the map does not know are dropped.
 */

/** English phrase (lower case) → Chinese. Longer phrases win over the words they contain. */
const TERMS: Record<string, string> = {
  // qualifications
  "national high-tech enterprise": "国家高新技术企业",
  "high-tech enterprise": "高新技术企业",
  "high tech enterprise": "高新技术企业",
  "hi-tech enterprise": "高新技术企业",
  "high-tech company": "高新技术企业",
  "high-tech": "高新技术企业",
  hnte: "高新技术企业",
  "technology-based sme": "科技型中小企业",
  "technology based sme": "科技型中小企业",
  "tech-based sme": "科技型中小企业",
  "technology sme": "科技型中小企业",
  "specialized and sophisticated": "专精特新",
  "specialised and sophisticated": "专精特新",
  "little giant": "专精特新小巨人",
  "little giants": "专精特新小巨人",
  "innovative sme": "创新型中小企业",
  gazelle: "瞪羚企业",
  unicorn: "独角兽企业",
  "advanced technology service enterprise": "技术先进型服务企业",
  "listed company": "上市公司",
  ipo: "上市",
  listing: "上市",
  "small and medium-sized enterprise": "中小企业",
  "small and medium enterprise": "中小企业",
  smes: "中小企业",
  sme: "中小企业",
  "small business": "小微企业",
  "micro and small": "小微企业",
  startup: "初创企业 创业",
  "start-up": "初创企业 创业",
  startups: "初创企业 创业",
  "startup team": "创业团队",
  "startup teams": "创业团队",
  entrepreneur: "创业者",
  entrepreneurship: "创业",
  company: "企业",
  enterprise: "企业",
  firm: "企业",
  // support
  subsidy: "补贴",
  subsidies: "补贴",
  grant: "资助",
  grants: "资助",
  funding: "资金支持",
  fund: "资金",
  award: "奖励",
  awards: "奖励",
  reward: "奖励",
  rewards: "奖励",
  bonus: "奖励",
  support: "支持",
  incentive: "奖励 扶持",
  incentives: "奖励 扶持",
  loan: "贷款",
  loans: "贷款",
  "interest subsidy": "贷款贴息",
  guarantee: "担保",
  financing: "融资",
  investment: "投资",
  "angel investment": "天使投资",
  "venture capital": "创业投资",
  rent: "租金 房租",
  "rent subsidy": "房租补贴",
  voucher: "创新券",
  "innovation voucher": "科技创新券",
  "capital innovation voucher": "首都科技创新券",
  "computing power voucher": "算力券",
  "computing voucher": "算力券",
  tax: "税收",
  "tax deduction": "加计扣除",
  "super deduction": "研发费用加计扣除",
  "additional deduction": "研发费用加计扣除",
  "tax incentive": "税收优惠",
  "tax incentives": "税收优惠",
  "tax break": "税收优惠",
  "tax relief": "税收优惠",
  "income tax": "所得税",
  // R&D and IP
  "r&d super deduction": "研发费用加计扣除",
  "r&d tax deduction": "研发费用加计扣除",
  "r&d deduction": "研发费用加计扣除",
  "r&d expense ratio": "研发费用占比",
  "r&d ratio": "研发投入占比",
  "r&d intensity": "研发投入占比",
  "r&d expenses": "研发费用",
  "r&d expense": "研发费用",
  "r&d spending": "研发投入",
  "r&d investment": "研发投入",
  "r&d": "研发",
  "research and development": "研发",
  research: "研发",
  patent: "专利",
  patents: "专利",
  "invention patent": "发明专利",
  "invention patents": "发明专利",
  "utility model": "实用新型",
  "intellectual property": "知识产权",
  ip: "知识产权",
  trademark: "商标",
  "software copyright": "软件著作权",
  "technology transfer": "技术转移",
  "technology contract": "技术合同",
  "achievement transformation": "科技成果转化",
  commercialization: "科技成果转化",
  innovation: "创新",
  technology: "科技",
  tech: "科技",
  "science and technology": "科技",
  // people and places of work
  talent: "人才",
  talents: "人才",
  "talent introduction": "人才引进",
  recruit: "招聘 人才",
  hiring: "招聘 人才",
  postdoc: "博士后",
  postdoctoral: "博士后",
  phd: "博士",
  "college graduates": "高校毕业生",
  "university graduates": "高校毕业生",
  graduates: "高校毕业生",
  graduate: "高校毕业生",
  returnee: "留学人员",
  "overseas returnees": "留学人员",
  hukou: "落户",
  "household registration": "落户",
  incubator: "孵化器",
  incubators: "孵化器",
  accelerator: "加速器",
  "maker space": "众创空间",
  makerspace: "众创空间",
  lab: "实验室",
  laboratory: "实验室",
  "key laboratory": "重点实验室",
  "r&d center": "研发机构",
  "r&d institution": "新型研发机构",
  "technology center": "企业技术中心",
  // fields
  "artificial intelligence": "人工智能",
  ai: "人工智能",
  "large model": "大模型",
  semiconductor: "集成电路",
  semiconductors: "集成电路",
  "integrated circuit": "集成电路",
  chip: "集成电路 芯片",
  chips: "集成电路 芯片",
  software: "软件",
  biomedicine: "生物医药",
  biopharmaceutical: "生物医药",
  pharmaceutical: "医药",
  "medical device": "医疗器械",
  "medical devices": "医疗器械",
  "new materials": "新材料",
  "new energy": "新能源",
  robot: "机器人",
  robots: "机器人",
  robotics: "机器人",
  "embodied intelligence": "具身智能",
  "humanoid robot": "人形机器人",
  drone: "无人机 低空经济",
  drones: "无人机 低空经济",
  "low-altitude economy": "低空经济",
  "intelligent manufacturing": "智能制造",
  "smart manufacturing": "智能制造",
  manufacturing: "制造业",
  equipment: "设备",
  "first set": "首台套",
  cultural: "文化",
  culture: "文化",
  "cross-border e-commerce": "跨境电子商务",
  "e-commerce": "电子商务",
  export: "出口",
  headquarters: "总部",
  // application
  "how to apply": "如何申报 申报流程",
  "how do we apply": "如何申报 申报流程",
  "how can we apply": "如何申报 申报流程",
  "apply for": "申请",
  apply: "申请",
  application: "申报",
  "application process": "申报流程",
  procedure: "申报流程",
  process: "流程",
  deadline: "截止时间 申报时间",
  when: "申报时间",
  materials: "申报材料",
  documents: "申报材料",
  eligibility: "申报条件",
  eligible: "符合条件",
  requirements: "申报条件",
  requirement: "申报条件",
  conditions: "申报条件",
  criteria: "申报条件",
  qualify: "符合条件",
  certification: "认定",
  certified: "认定",
  recognition: "认定",
  recognized: "认定",
  policy: "政策",
  policies: "政策",
  "how much": "支持标准 金额",
  amount: "金额",
  maximum: "最高",
  "up to": "最高",
  // company facts
  employees: "员工",
  employee: "员工",
  staff: "员工",
  headcount: "员工人数",
  revenue: "营业收入",
  "annual revenue": "营业收入",
  sales: "销售收入",
  turnover: "营业收入",
  founded: "成立",
  established: "成立",
  registered: "注册",
  "we are": "我们是",
  // places
  wuhan: "武汉",
  hubei: "湖北",
  "optics valley": "光谷 东湖高新区",
  "east lake": "东湖高新区",
  donghu: "东湖高新区",
  beijing: "北京",
  zhongguancun: "中关村",
  haidian: "海淀",
  chaoyang: "朝阳",
  shanghai: "上海",
  xuhui: "徐汇",
  pudong: "浦东",
  zhangjiang: "张江",
  shenzhen: "深圳",
  nanshan: "南山",
  guangzhou: "广州",
  guangdong: "广东",
  hangzhou: "杭州",
  suzhou: "苏州",
  nanjing: "南京",
  chengdu: "成都",
  national: "国家",
  china: "中国",
  // who and where, so the fact readers keep whose figure and which place it is
  "suzhou industrial park": "苏州工业园区",
  "industrial park": "工业园区",
  "based in": "在",
  "located in": "在",
  "registered in": "注册在",
  "not yet listed": "未上市",
  "not listed": "未上市",
  unlisted: "未上市",
  "we're": "我们",
  "our company": "我们公司",
  we: "我们",
  our: "我们",
};

const ENTRIES = Object.entries(TERMS).sort((a, b) => b[0].length - a[0].length);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const PHRASE = new RegExp(`(?<![a-z0-9&-])(?:${ENTRIES.map(([e]) => escapeRegExp(e)).join("|")})(?![a-z0-9&-])`, "g");

const SCALE: Record<string, number> = { thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9 };
const NUMBER = /(?:(?:rmb|cny|¥)\s*)?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion|mn|bn|k|m)?(?![a-z])\s*(yuan|rmb|cny|%|percent)?(?![a-z])/g;

/** Nouns counted by the number before them, with their measure word. */
const COUNTED: Record<string, string> = { 员工: "人", 发明专利: "项", 专利: "项", 实用新型: "项", 知识产权: "项" };
/** Terms a number after them belongs to (revenue 30 million → 营业收入3000万). */
const METRICS = new Set(["营业收入", "销售收入", "研发投入占比", "研发费用占比", "研发费用", "研发投入", "员工", "员工人数", "最高", "成立", "金额", "资金"]);

/** A sum as Chinese writes it: 2 million → 200万, 1.5 billion → 15亿, 8000 stays. */
function chineseAmount(value: number): string {
  const round = (n: number) => String(Math.round(n * 100) / 100);
  if (value >= 1e8 && value % 1e7 === 0) return `${round(value / 1e8)}亿`;
  if (value >= 1e4 && value % 100 === 0) return `${round(value / 1e4)}万`;
  return round(value);
}

/** Whether a message is written mostly in English (latin letters outnumber Chinese characters by far). */
export function isMostlyEnglish(message: string): boolean {
  const text = message.replace(/(?:https?:\/\/|www\.)\S+|\S+@\S+/gi, " ");
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  const words = (text.match(/[A-Za-z]{2,}/g) ?? []).length;
  const han = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  return words >= 2 && han * 4 < letters;
}

/**
 * An English message as a Chinese query: known terms in their order, numbers
 * in Chinese units ("2 million yuan" → 200万元, "5%" stays), Chinese words
 * kept, the rest dropped.
 */
export function englishToChinese(text: string): string {
  // `plain` is the number as written, for a count (2000 employees is not the year 2000).
  type Piece = { at: number; text: string; number: boolean; plain?: string };
  const pieces: Piece[] = [];
  const rest = text.toLowerCase().replace(NUMBER, (whole, digits: string, scale: string | undefined, unit: string | undefined, at: number) => {
    const plain = digits.replace(/,/g, "");
    const suffix = unit === "%" || unit === "percent" ? "%" : unit || /^(rmb|cny|¥)/.test(whole) ? "元" : "";
    const year = !scale && !suffix && /^(19|20)\d\d$/.test(plain);
    const amount = suffix === "%" ? `${plain}%` : `${chineseAmount(Number(plain) * (scale ? SCALE[scale] : 1))}${suffix}`;
    pieces.push({ at, text: year ? `${plain}年` : amount, number: true, plain: scale || suffix ? undefined : plain });
    return " ".repeat(whole.length);
  });
  for (const m of rest.matchAll(PHRASE)) pieces.push({ at: m.index, text: TERMS[m[0]], number: false });
  // Chinese words in an English message (R&D super deduction 怎么申请) are kept as they are.
  for (const m of rest.matchAll(/[\u4e00-\u9fff]+/g)) pieces.push({ at: m.index, text: m[0], number: false });
  pieces.sort((a, b) => a.at - b.at);
  const words: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const [p, next, previous] = [pieces[i], pieces[i + 1], pieces[i - 1]];
    if (p.number && p.plain && next && next.text in COUNTED) {
      // "50 employees", "2 invention patents": the count comes before its noun in English.
      words.push(`${next.text}${p.plain}${COUNTED[next.text]}`);
      i++;
    } else if (p.number && previous && METRICS.has(previous.text) && words.length) {
      words[words.length - 1] += p.text + (COUNTED[previous.text] ?? "");
    } else words.push(p.text);
  }
  // A word said again, or inside its neighbour (研发 beside 研发费用), adds nothing.
  const kept = words.filter(
    (w, i) => words.indexOf(w) === i && !(words[i - 1]?.includes(w) && words[i - 1] !== w) && !(words[i + 1]?.includes(w) && words[i + 1] !== w),
  );
  // Clauses apart, as a Chinese message writes them: the fact readers read clause by clause.
  // …except where a word only makes sense with the next one: 「我们在中关村」, not 「我们，在，中关村」.
  return kept.join("，").replace(/(我们是|我们公司|我们|注册在|在)，/g, "$1");
}

/** English terms long enough not to be ordinary shorthand in Chinese text (AI, IT and 5G stay as written). */
const INLINE = new RegExp(
  `(?<![a-z0-9&-])(?:${ENTRIES.filter(([e]) => e.length >= 6 || e === "r&d")
    .map(([e]) => escapeRegExp(e))
    .join("|")})(?![a-z0-9&-])`,
  "gi",
);

/**
 * A Chinese message with English words in it («我们在Optics Valley，做laser器件»):
 * the known terms are put in Chinese where they stand, everything else kept.
 */
export function englishInline(text: string): string {
  return text.replace(INLINE, (m) => TERMS[m.toLowerCase()] ?? m).replace(/([\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])/g, "$1");
}
