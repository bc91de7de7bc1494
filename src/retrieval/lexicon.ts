/**
 * How businesses say it, and how policies write it. Each entry maps the words a
 * company uses (`says`) to the terms policy texts use for the same thing
 * (`policiesSay`), with the reason it holds. The policy side is written from
 * the wording of policy titles, 支持方向 and conditions; no entry is taken from
 * a question set. A question's matching entries add their terms to the search
 * at half weight (`queryTerms`).
 */
export type LexiconEntry = { says: RegExp; policiesSay: string; why: string };

export const LEXICON: readonly LexiconEntry[] = [
  { says: /高企/, policiesSay: "高新技术企业", why: "高企 is the everyday short form; policies name 高新技术企业 in full." },
  {
    says: /科小|科技型中小|科技型小企业/,
    policiesSay: "科技型中小企业 评价 入库",
    why: "科小 is the short form; the programme is 科技型中小企业评价, and qualifying firms are 入库 (entered in the register).",
  },
  { says: /小巨人/, policiesSay: "专精特新 小巨人", why: "小巨人 is the national tier of the 专精特新 ladder; policies name both." },
  { says: /专精特新/, policiesSay: "专精特新 中小企业", why: "Policies speak of 专精特新中小企业, the tier below 小巨人." },
  {
    says: /加计扣除|研发费用抵税|研发抵税|税前多扣/,
    policiesSay: "研发费用加计扣除 税前加计扣除",
    why: "The tax deduction for R&D is 研发费用加计扣除; owners call it 抵税 or 多扣.",
  },
  { says: /研发.{0,4}(花|投|钱)|搞研发/, policiesSay: "研发费用 研发投入", why: "Money spent on R&D is 研发费用 in tax texts and 研发投入 in subsidy texts." },
  {
    says: /首台套|首台\(套\)|首台（套）/,
    policiesSay: "首台 套 重大技术装备",
    why: "首台（套） is written with brackets and belongs to 重大技术装备 programmes.",
  },
  { says: /创新券|科创券|科技券/, policiesSay: "科技创新券 创新券", why: "The voucher is 科技创新券 in its own rules; people shorten it to 科创券 or 创新券." },
  { says: /算力/, policiesSay: "算力 智能算力 补贴", why: "Compute subsidies are written as 智能算力 or 算力券." },
  {
    says: /新三板/,
    policiesSay: "全国中小企业股份转让系统 挂牌",
    why: "新三板 is the market's nickname; policies name 全国中小企业股份转让系统 and say 挂牌.",
  },
  { says: /上市|IPO|ipo/, policiesSay: "上市 挂牌 改制", why: "Listing support covers 改制 (restructuring), 挂牌 and 上市 as one ladder." },
  {
    says: /拖欠|拖着.{0,2}(款|钱)|欠款|账款|货款|回款/,
    policiesSay: "款项支付 拖欠 中小企业款项",
    why: "Late payment to small firms is regulated as 支付中小企业款项.",
  },
  { says: /贷款|借钱|融资/, policiesSay: "融资 贷款 贴息 担保", why: "Credit support comes as 贴息 (interest subsidy) and 担保 (guarantees) on 贷款." },
  {
    says: /补贴|补助|奖励|资助|给钱|拿钱|扶持/,
    policiesSay: "补贴 资金支持 奖励 资助",
    why: "Policies give money under several names (补贴, 奖励, 资助, 资金支持); asking for one means any of them.",
  },
  { says: /招人|引才|人才/, policiesSay: "人才 引进", why: "Hiring support is written as 人才引进." },
  { says: /落户/, policiesSay: "落户 户籍", why: "Settling a person is 落户 in the 户籍 (household registration) rules." },
  { says: /出口|外贸|海外/, policiesSay: "国际市场 出口 外贸", why: "Export support is written as 开拓国际市场." },
  { says: /专利/, policiesSay: "知识产权 专利", why: "Patent support sits under 知识产权." },
  { says: /孵化/, policiesSay: "孵化器 众创空间 孵化", why: "Incubation programmes cover 孵化器 and 众创空间 together." },
  { says: /技术引进|引进技术|技术进口|技术出口/, policiesSay: "技术进出口", why: "Buying or selling technology abroad is 技术进出口." },
  { says: /大学生|毕业生|应届/, policiesSay: "高校毕业生 青年", why: "Graduates are 高校毕业生, often within 青年 programmes." },
  { says: /AI|ai|大模型/, policiesSay: "人工智能 大模型", why: "AI is 人工智能 in policy texts." },
  { says: /芯片|半导体/, policiesSay: "集成电路", why: "Chips are 集成电路 in industrial policy." },
  { says: /无人机|飞行汽车|eVTOL/, policiesSay: "低空经济 低空飞行器", why: "Drones and flying cars are 低空飞行器, supported as 低空经济." },
  { says: /机器人/, policiesSay: "机器人 具身智能", why: "Recent robot policies are titled 具身智能." },
  { says: /药|医疗器械/, policiesSay: "生物医药 医疗器械", why: "Drugs and devices fall under 生物医药 (医药健康 in Beijing)." },
  { says: /厂房|楼宇|场地|房租|租金/, policiesSay: "用房 租金 场地 补贴", why: "Premises support is written as 用房, 场地 or 租金补贴." },
  { says: /认定/, policiesSay: "认定 评价", why: "Some statuses are 认定 (recognised), others 评价 (evaluated); people say 认定 for both." },
  {
    says: /规上|规下|小升规|升规|上规模/,
    policiesSay: "规模以上 小升规 升规",
    why: "规上 is short for 规模以上 (above the statistical size line); growing past it is rewarded as 小升规.",
  },
  { says: /流片|MPW|mpw/, policiesSay: "流片 MPW 集成电路", why: "Chip tape-out support is written as 流片 (or MPW for shared runs) in 集成电路 policies." },
  {
    says: /出海|走出去|海外(投资|并购|建厂)|境外(投资|并购)/,
    policiesSay: "走出去 境外投资 对外投资",
    why: "Going abroad is 走出去; policies fund it as 境外投资 or 对外投资.",
  },
  { says: /并购|收购|兼并/, policiesSay: "并购 重组 兼并", why: "Acquisitions are supported as 并购重组 or 兼并重组." },
  { says: /融资租赁|租(设备|赁设备)|以租代购/, policiesSay: "融资租赁", why: "Leasing equipment is supported as 融资租赁 (with interest or rent subsidies)." },
  { says: /搬到|搬过来|迁到|迁入|搬迁|迁移/, policiesSay: "迁入 新引进 落户", why: "Moving a company in is 迁入 or 新引进 and 落户 in relocation rewards." },
  {
    says: /旧厂房|老厂房|旧仓库|旧楼|闲置(厂房|楼宇|空间)/,
    policiesSay: "老旧厂房 低效楼宇 存量空间 改造",
    why: "Reusing old buildings is 老旧厂房 / 低效楼宇 / 存量空间 改造.",
  },
  {
    says: /技术经理人|技术经纪/,
    policiesSay: "技术经理人 技术经纪人 技术转移",
    why: "Technology brokers are 技术经理人 or 技术经纪人, within 技术转移 programmes.",
  },
  {
    says: /职务发明|职务成果|职务科技成果/,
    policiesSay: "职务科技成果 职务发明 奖励 报酬",
    why: "Inventors' shares are set under 职务科技成果 / 职务发明 as 奖励 and 报酬.",
  },
  { says: /离岗|停薪留职/, policiesSay: "离岗创业 人事关系", why: "Researchers leaving to found firms are 离岗创业, keeping their 人事关系." },
  { says: /仿冒|山寨|盗版|侵权|抄袭/, policiesSay: "侵权 假冒 知识产权保护", why: "Copying is 侵权 or 假冒, handled under 知识产权保护." },
  { says: /保险|保费/, policiesSay: "保险 保费 补贴", why: "Insurance support is a 保费补贴." },
  { says: /担保费|担保/, policiesSay: "担保 担保费 补贴", why: "Guarantee support is a 担保费补贴." },
  { says: /样板|标杆|示范/, policiesSay: "示范 标杆 应用场景", why: "Showcase projects are 示范 / 标杆 / 应用场景 in policy texts." },
  { says: /个体户|个体经营|小店/, policiesSay: "个体工商户", why: "A sole trader is a 个体工商户." },
  { says: /买设备|换设备|设备(更新|升级|改造)/, policiesSay: "设备购置 更新改造", why: "Equipment upgrades are supported as 设备购置 and 更新改造." },
  { says: /数字化|上云|信息化|智能化/, policiesSay: "数字化转型 智能化改造", why: "Digitalising a firm is 数字化转型 or 智能化改造." },
  { says: /卖(专利|成果|技术)|专利转让|成果转让|转让费/, policiesSay: "技术转让 成果转化", why: "Selling technology is 技术转让, within 成果转化." },
  { says: /评职称|职称/, policiesSay: "职称评审", why: "Titles are granted through 职称评审." },
  { says: /直播|带货/, policiesSay: "直播电商", why: "Live-stream selling is 直播电商." },
  { says: /社保/, policiesSay: "社会保险", why: "社保 is short for 社会保险." },
  { says: /得奖|获奖|拿了.{0,6}奖|大赛|比赛/, policiesSay: "获奖 奖项 大赛", why: "Competition prizes are rewarded as 获奖 in a named 大赛." },
];

/** The phrases the lexicon adds for a question; the caller appends them to the query. */
export function expandQuery(question: string): string[] {
  const added: string[] = [];
  for (const { says, policiesSay } of LEXICON) {
    const said = says.exec(question)?.[0];
    if (!said) continue;
    // «研发费用加计扣除» already says it as policies do: the entry's other words would only pull the search aside.
    const term = policiesSay.split(" ")[0];
    if (term.length > said.length && term.includes(said) && question.includes(term)) continue;
    added.push(policiesSay);
  }
  return added;
}
