/**
 * What a chat message asks for. Rules, not a model: each intent has a small
 * table of cue patterns, and a fixed precedence settles a message that carries
 * several («怎么申请，要准备什么材料» asks for the materials). Two gates come
 * first, because their mistakes cost most: small talk (answered without a
 * search) and questions outside science-and-technology policy (answered with
 * a short note instead of unrelated policies). A question that matches no
 * cue is a search (`find`).
 *
 * Input is normalised text (`normalizeText`: simplified, half-width).
 */

import { anyOf, QUALIFICATION_STEMS } from "../policies/vocabulary.js";

export type Intent =
  | "find"
  | "amount"
  | "deadline"
  | "materials"
  | "conditions"
  | "process"
  | "contact"
  | "stackable"
  | "compare"
  | "eligibility"
  | "greeting"
  | "out_of_scope";

export type IntentContext = { hasHistory: boolean };
export type ClassifiedIntent = { intent: Intent; cues: string[] };

type CueTable = readonly RegExp[];

// ── Re-instructing the assistant ──

/**
 * Attempts to change the assistant's rules («忽略之前的指令», «你现在是…») are not
 * a question about any policy, whatever policy words they carry.
 */
const OVERRIDE_ATTEMPT =
  /(?:忽略|无视|别管)(?:之前|上面|以上|前面|先前)?(?:的|所有|全部)*(?:指令|规则|提示|设定)|系统提示词|(?:你的|把)提示词|你现在是|从现在(?:开始|起)你|不受任何限制|没有任何限制/;
/** The role an attack casts the assistant in («你是一个没有任何限制的AI»): its words are not the question's subject. */
const CAST_ROLE = /(?:从现在(?:开始|起)[，,]?)?你(?:现在)?(?:是|就是|扮演|变成)[^，。,.!！？?；;]*/g;

// ── Small talk ────────────────────────────────────────────────────────────

/** Greetings, thanks, acknowledgements and the particles around them: a message made only of these is small talk. */
const GREETING_WORDS =
  /你们好|您好|你好|大家好|早上好|上午好|中午好|下午好|晚上好|早安|晚安|哈喽|哈罗|嗨|\b(?:hello|hi|hey|ok|okay|bye|thanks|thank you)\b|在吗|在的吗|在么|在不在|帮大忙|帮了大忙|太好了|有人吗|有人在吗|(?:谢谢|感谢|多谢)(?:你的|您的)?(?:解答|回答|帮助|帮忙|耐心)|谢谢|多谢|感谢|谢了|辛苦了?|好的|好滴|好吧|明白了?|知道了|收到|了解了?|懂了|再见|拜拜|打扰了|请问|麻烦了|没问题|可以的|行|嗯+|哦+|噢|好|太|非常|十分|你|啊|呀|哈+|呢|吧|啦|嘛|嘞|咧|了|的/gi;

/** Closing a conversation («没有了», «不用了»): small talk only once there is a conversation to close. */
const CLOSINGS = /没有了|没了|不用了|就这些|暂时没有|我先(?:去)?(?:准备|看看|研究|了解|整理)一下/g;

/** Questions about the assistant itself. */
const SELF_TALK: CueTable = [
  /你是谁|你叫什么/,
  /你是(?:什么|哪个|哪家|谁家|机器人|真人|人工|ai|AI|客服|政府|官方)|你是?(?:干|做)(?:什么|啥)的/,
  // «你能做什么», «你可以帮我干什么», «你会什么»
  /你(?:能|会|可以)(?:帮我|帮忙)?(?:做|干)?(?:点|些)?(?:什么|啥)/,
  /你都?(?:能|会|可以)(?:回答|解答|查|问)(?:哪些|什么|啥)/,
  /你有(?:什么|哪些|啥)功能|你的功能|怎么(?:使用|用)你/,
];

/** Words of an actual policy question: with them, «你能…» is a request, not small talk. */
const POLICY_WORDS = /补贴|政策|申报|申请|资助|奖励|认定|扶持|补助/;

// ── Out of scope ──────────────────────────────────────────────────────────

/**
 * Topics that are not science, technology or enterprise-support policy. Each
 * is precise (社保缴费基数, not 社保) because a condition of a real policy can
 * mention the same things («在京缴纳社保满一年»).
 */
const OUT_OF_SCOPE: CueTable = [
  // weather
  /天气|下雨|下雪|气温|降温|雾霾|空气质量/,
  // seeing a doctor (a hospital as a customer or an industry is in scope)
  /挂号|看病|哪家医院|医保/,
  // personal and trade taxes, invoices, credit records: not the R&D and high-tech tax incentives
  /个税|个人所得税|出口退税|留抵退税|专项附加扣除|发票|征信|逃税|偷税|漏税/,
  // company paperwork unrelated to support: closing down, registration changes, trade licences, the mechanics of bidding
  // (public procurement reserved for small firms is support, and in scope)
  /注销|(?:地址|法人|经营范围|股东|注册资本)变更|变更登记|工商变更|企业年报|工商年报|食品经营许可|卫生许可|招投标|投标|数字证书|ca证书/i,
  // social insurance, housing fund, personal welfare
  /社保(?:缴费基数|基数|断缴|补缴|转移|查询|怎么|如何)|(?:交|缴|补缴|断缴)社保|公积金|养老金|退休金|育儿补贴|生育(?:津贴|补贴|保险)|失业金|失业保险金|低保/,
  // travel and personal documents
  /签证|护照|身份证|户口|积分落户|驾照|违章|扣分|罚单|摇号|限行|高铁票|火车票|机票|放假|放几天/,
  // housing market, personal investment, lottery
  /房价|买房|二手房|商品房|预售许可|房贷|股票|炒股|比特币|理财产品|彩票/,
  // a person's own purchases and errands
  /菜谱|做菜|油价|金价|疫苗|信用卡|个人(?:买|购|贷款|信用)|门票|演唱会|几点(?:下班|开门|关门)|营业时间/,
  // private disputes
  /押金|房东|纠纷|起诉|打官司/,
  // jokes and writing
  /笑话|写一首|写首|写诗|讲个故事|星座/,
  // school exams
  /高考|中考|考研|填志愿|志愿填报|考试报名|驾考|考(?:一个|个)?[^，。？?]{0,3}证(?!明|书)/,
  // pay and labour disputes
  /年终奖|工资条|工伤|辞退|劳动仲裁|拖欠工资|加班费|离职|辞职|赔偿金|试用期|婚假|产假|年假|病假|丧假|陪产假/,
];

/**
 * Everyday words that are off topic on their own («附近有什么好吃的餐厅») but
 * also name a business a company runs or a cost it bears («影视作品翻译», «门诊
 * 用的系统», «物流车购车补贴»): off topic only when no support is asked for.
 */
const OFF_TOPIC_UNLESS_SUPPORT: CueTable = [
  /门诊|体检/,
  /旅游|景点|酒店|年会|团建/,
  /快递|外卖|餐厅|餐馆|好吃|买车|购车|停车/,
  /翻译|电影|电视剧/,
  /食堂|保洁|物业|装修风格|装修设计/,
  // writing for the user («帮我写一段年会致辞»), unless it is an application («写申报书»)
  /写(?:一|个|几)?(?:段|篇|首|份|句)/,
];
const ASKS_SUPPORT = /补|奖|资助|扶持|政策|申报|申请|认定|支持|优惠|减免/;

/**
 * Words that put a message inside the library's subject: with one of them an
 * out-of-scope cue is incidental («外籍人才工作签证», «医疗器械进医保»). The
 * qualification stems' 科技型 and 创新型 add nothing here (科技, 创新 are in).
 */
const IN_SCOPE = new RegExp(
  String.raw`(?<![a-z])ai(?![a-z])|科技|科研|研发|${anyOf(QUALIFICATION_STEMS)}|专利|知识产权|人才|博士|院士|孵化|众创|创新|技术|软件|集成电路|芯片|人工智能|算力|机器人|医疗器械|生物医药|新材料|首台|成果转化|实验室|工程中心|数字化|智能|加计扣除|创投|天使投资|风险补偿|中关村|产业|专项资金|创业|中小企业|小微`,
  "i",
);

/**
 * Any sign that a message is about a company and support for it: the kinds of
 * support, the paperwork, the offices, a company speaking of itself, the costs
 * it wants covered. A first message with none of these and no question about a
 * policy detail («今年春节放几天假») is outside the library.
 */
const POLICY_SIGNS =
  /补|奖|券|额度|附件|盖章|公章|填写|填报|法人|资助|扶持|帮扶|激励|鼓励|支持|政策|申报|申请|认定|评定|资金|钱|项目|企业|公司|园区|厂房|场地|我们|我司|咱们|团队|员工|优惠|减免|贴息|贷|利息|融资|费|租金|设备|装修|改造|资质|证书|许可|资格|药|成果|转化|高校|待遇|福利|科委|科技局|经信|工信|发改|人社|税|专项|指南|办法|细则|条例|规定|法规/;

// ── Question intents ──────────────────────────────────────────────────────

/** Whether two (or more) supports can be held together. */
const STACKABLE: CueTable = [
  /同时(?:申请|申报|享受|享有|拿|获得|报|支持|兑现|领)/,
  /叠加|叠着/,
  /重复(?:享受|申请|申报|支持|资助|拿)/,
  /兼得|兼容/,
  /一起(?:拿|申请|申报|报|享受)/,
  /都(?:能|可以)?(?:报|申请|申报|拿|享受)/,
  /冲突|互斥|排斥|只能(?:选|申请|享受|报)[一其]|选其一|二选一/,
  // «已经拿了区里的补贴，还能申请市里的吗»: already holding one support, asking about another
  /(?:拿|获得|享受|申请|领)(?:了|过)[^。？?]{0,14}(?:还能|还可以|能否再|可以再)/,
];

/** Choosing between policies: which one is more / most, or how they differ. */
const COMPARE: CueTable = [
  /哪(?:个|一个|项|一项|种|一种)[^，。？?]{0,6}(?:最|更|比较)/,
  /哪(?:个|一个|项|种)[^，。？?]{0,4}(?:好|划算|合适|容易|简单|难|快|多|高|大|低|少|值得)/,
  /(?:优先|先)(?:申请|申报|报)?哪|选哪(?:个|一个|项|种)/,
  /区别|差别|差异|有什么不同|有何不同|有啥不同|不同之处|不一样|对比|比较一下|相比|什么关系/,
];

/** Who to ask: a phone number, a person, the office in charge. */
const CONTACT: CueTable = [
  /电话|号码|哪(?:个|位)老师|哪位|联系人|对接人|负责人|经办人|联系方式|联系谁|咨询谁|找谁|问谁|邮箱|热线|咨询方式/,
  /哪个(?:部门|单位|处室|处|科室|科|机构|局|委)|(?:负责|主管|受理)的?(?:部门|单位|处室)|部门是哪|归哪个|谁(?:负责|管|发的|受理)/,
];

/** When: the window, the deadline, the batch. */
const DEADLINE: CueTable = [
  /截止|截至|什么时候|何时|啥时候|几月|几号|哪天|还会有/,
  // «上半年还是下半年», «结束了吗»: not «我们上半年营收…», «项目结束后…»
  /时间(?:还)?(?:够|来得及)|赶(?:得)?上|赶不上|持续多(?:长时间|久)|上半年还是下半年|(?:上|下)半年(?:申报|受理|开始)|结束了(?:吗|没)|已经结束/,
  /申报期|申报时间|受理时间|什么时间|时间节点|窗口期|申报窗口|时间窗口|窗口(?:什么时候|开放|关闭)|开放时间|固定时间|常年|有效期|过期|来得及|多长时间截止/,
  /第[一二三四五六七八九十\d]批|几批|下一批|(?:一年|每年)(?:受理|申报|开放)?几次|时间(?:是)?(?:怎么|如何)?安排|多久(?:开放|受理|申报)一次/,
  // «现在还能报吗»: asks whether the window is still open
  /现在还(?:能|可以)(?:报|申请|申报)/,
];

/**
 * Whether this company (or a kind of company) qualifies: a yes/no question, not
 * «能申请哪些». «么» ends a question only when it is not part of 什么/怎么.
 */
const ELIGIBILITY: CueTable = [
  /(?:能|可以|能否|是否能|是否可以)(?:申请|申报|报|享受|参加|参与)[^哪什么？?，,。]{0,12}(?:吗|(?<![什怎那这多])么)/,
  /(?:能不能|可不可以|能否|是否可以|是否能)[^，。？?哪什]{0,4}(?:申请|申报|报|享受|参加|参与|拿到|领到)(?![^，。？?]{0,4}(?:哪|什么))/,
  /(?:能|可以)(?:申请|申报|报|享受)不/,
  // «我们去年刚迁到海淀，可以吗»: facts, then a bare «可以吗»
  /(?:^|[，,])(?:那)?(?:可以|行|能)(?:吗|不)[？?]?$|行不行|可以不可以/,
  /达标|有戏|有希望吗|有机会吗|够(?:条件|格|资格|标准)?(?:吗|不够)|够不够/,
  /能(?:拿|领)(?:到)?(?:这个|该)?(?:补贴|奖励|资助|政策|钱)(?:吗|(?<![什怎那这多])么)/,
  /有(?:没有)?资格|够格|够不够格|够资格/,
  /符合[^，。？?]{0,8}(?:吗|(?<![什怎那这多])么)|符不符合|满足[^，。？?]{0,8}(?:吗|(?<![什怎那这多])么)|满不满足/,
  /算不算|属不属于|(?:算|属于)[^力，。？?]{0,12}(?:企业|单位|范围|人才)(?:吗|(?<![什怎那这多])么)/,
];

/** What to hand in: documents, forms, proofs. */
const MATERIALS: CueTable = [
  /(?<!新)材料|资料|附件|证明|清单|申报书|申请书|申请表|模板|表格|报表|审计报告|复印件|扫描件|原件|盖章/,
  /填(?:什么|哪些|啥)?表|纸质|电子版|公章|立项书/,
  /(?:要不要|需不需要|是否需要|需要|要|得)(?:提供|提交|上传|准备)/,
  /(?:要不要|需不需要|是否需要)[^，。？?]{0,6}(?:合同|证书|凭证|批文|协议|执照)/,
  /(?:准备|提交|提供|带|交|上传|留存|需要)[^，。？?]{0,6}(?:文件|东西|证书|报告|合同)/,
  /(?:提交|提供|上传|交)(?:什么|哪些|啥)/,
];

/** How much: the sum, the rate, the ceiling. Not «营收要多少» (a condition). */
const AMOUNT: CueTable = [
  /多少钱|多少万|几百万|几十万|奖金/,
  /(?:拿|补|奖|奖励|给|资助|补贴|补助|支持|贴|减|免|领|发|批(?:下来)?)到?(?:多少|几)/,
  /(?:总共|一共|合计|总计)(?:能拿|能补|有)?多少|钱多|几成|百分之几|封顶|每(?:次|件|项|家|人|年)(?:给|补|奖|能拿)?多少|(?:按|补贴|补助|资助|奖励)[^，。？?]{0,4}比例/,
  /(?:补贴|奖励|资助|支持|扶持|补助|奖补|贴息)(?:的)?(?:标准|金额|额度|比例|力度|上限|幅度)/,
  /额度|金额|上限|最高(?:能|可以)?(?:补|奖|给|拿|多少)/,
  /怎么(?:算|计算|核算)/,
  // «能拿到哪些补贴，各多少？»: how much each.
  /(?:各|分别|各自)(?:是|有|给|补|能拿|可以拿)?多少/,
  // «加计扣除比例是多少», «能多扣吗», «扣多少»: a tax relief's rate is its amount.
  /(?:扣除|抵扣|加计|减免|减按|免征)[^，。？?]{0,6}(?:比例|幅度|税率)(?:是|有)?(?:多少|几)|多扣|扣(?:多少|几成)|能扣(?:多少|百分之)/,
];

/** How to apply: steps, the system, where to go. */
const PROCESS: CueTable = [
  /(?:怎么|怎样|咋)(?:申报|申请|申领|报|领|办|弄|操作|认定|登记|备案|兑现|兑付|享受|填|提交|走|使用)|如何(?:申报|申请|申领|办理|认定|登记|备案|兑现|兑付|享受|操作|领|使用)/,
  // who files: the company or the person
  /(?:个人|单位|企业)(?:申请|申报)?还是(?:个人|单位|企业)/,
  // what happens after filing
  /渠道|途径|初审|终审|(?:先|去|在|到)[^，。？?]{0,6}备案|备案(?:吗|流程|手续|在哪)|多久(?:出结果|有结果|批|审|能批)|出结果/,
  // «多长时间能办完», «几个工作日办结», «要多久才批下来»: how long the procedure takes is a question about it.
  /(?:多长时间|多少天|几天|几个工作日|多久)[^，。？?]{0,6}(?:办完|办结|办好|批下来|审完|审核完|拿到证|发证|受理)|(?:办完|办结|办理|审批|审核)[^，。？?]{0,4}(?:要|需要)?(?:多长时间|多久|几天|几个工作日)/,
  /流程|步骤|程序|环节|手续|办理|审批|审核|评审/,
  /在哪(?:里|儿)?(?:申报|申请|报|办|提交)|去哪(?:里|儿)?|(?:在|去|到)(?:什么|哪个)地方|哪个窗口/,
  /哪个(?:系统|平台|网站)|什么系统|(?:在|登录|通过)[^，。？?]{0,6}系统|网址|网站|入口|链接|网上申报|线上|线下|现场提交/,
  /通过[^，。？?]{0,6}(?:推荐|申请|申报)|推荐(?:吗|才)|中介|代理|自己报/,
];

/** Where the application goes once it is ready («材料准备好了交到哪里»): the process, though it names the materials. */
const HAND_IN: CueTable = [/(?:交|寄|送|递交|提交)(?:到|给)(?:哪|谁|什么地方)/];

/** What it takes: conditions, thresholds, the kind of company it is for. */
const CONDITIONS: CueTable = [
  /条件|门槛|要求|限制|规定|(?:什么|哪些)情况(?:下)?(?:不能|不可以|不予)|标准是什么|认定标准|评价标准|指标|(?:什么|哪些|啥)资质/,
  /什么样的企业|哪些企业|哪类企业|什么企业(?:可以|能)/,
  /(?:规模|人数|营收|收入|产值)(?:要|需要|得)?多(?:大|少)|至少|不低于|达到|才行|才能申请|才可以申请|满足哪|哪几条/,
  /(?:必须|一定要|非得)(?:先)?(?:有|是|具备|取得)/,
  // «需要先是专精特新吗»: a prerequisite status
  /(?:需要|要|必须)先?是[^，。？?]{1,12}(?:吗|(?<![什怎那这多])么)/,
];

/** Which policies exist: the default, listed for its cues. */
const FIND: CueTable = [/哪些|什么政策|有什么|有没有|有啥/, /政策|补贴|资助|奖励|扶持|支持|优惠|专项/];

/**
 * Precedence when a message matches several: the intents about several
 * policies at once, then who and when (their cues are unambiguous), then
 * whether we qualify (before conditions: «我们符合条件吗»), then the details,
 * and the general ones last.
 */
const QUESTION_CUES: ReadonlyArray<readonly [Intent, CueTable]> = [
  ["stackable", STACKABLE],
  ["compare", COMPARE],
  ["contact", CONTACT],
  ["deadline", DEADLINE],
  ["eligibility", ELIGIBILITY],
  ["process", HAND_IN],
  ["materials", MATERIALS],
  ["amount", AMOUNT],
  ["process", PROCESS],
  ["conditions", CONDITIONS],
  ["find", FIND],
];

const matchesOf = (text: string, table: CueTable): string[] => table.flatMap((re) => text.match(re)?.[0] ?? []);

const PUNCTUATION = /[\s\p{P}\p{S}]/gu;

function isSmallTalk(text: string, context: IntentContext): string[] | null {
  const closings = context.hasHistory ? (text.match(CLOSINGS) ?? []) : [];
  let rest = context.hasHistory ? text.replace(CLOSINGS, "") : text;
  const greetings = rest.match(GREETING_WORDS) ?? [];
  rest = rest.replace(GREETING_WORDS, "");
  if (!rest.replace(PUNCTUATION, "") && greetings.length + closings.length) return [...greetings, ...closings];
  const self = matchesOf(text, SELF_TALK);
  if (self.length && !POLICY_WORDS.test(text)) return self;
  return null;
}

/** The intent of one normalised message, and the words that decided it. */
export function classifyIntent(text: string, context: IntentContext): ClassifiedIntent {
  const t = text.trim();
  const small = isSmallTalk(t, context);
  if (small) return { intent: "greeting", cues: small };

  // An attack on the rules with no policy question in it gets the scope note; one wrapped round a real
  // question is answered, the attack passed to a model as data like any other words.
  const override = t.match(OVERRIDE_ATTEMPT);
  if (override && !IN_SCOPE.test(t.replace(CAST_ROLE, ""))) return { intent: "out_of_scope", cues: [override[0]] };

  const outside = matchesOf(t, OUT_OF_SCOPE);
  if (outside.length && !IN_SCOPE.test(t)) return { intent: "out_of_scope", cues: outside };
  const everyday = matchesOf(t, OFF_TOPIC_UNLESS_SUPPORT);
  if (everyday.length && !IN_SCOPE.test(t) && !ASKS_SUPPORT.test(t)) return { intent: "out_of_scope", cues: everyday };

  // Asking for materials or a route («入学登记需要哪些材料», «有什么路线推荐») is no sign of a policy question by itself.
  if (!context.hasHistory && !IN_SCOPE.test(t) && !POLICY_SIGNS.test(t)) return { intent: "out_of_scope", cues: [] };
  for (const [intent, table] of QUESTION_CUES) {
    const cues = matchesOf(t, table);
    if (cues.length) return { intent, cues };
  }
  return { intent: "find", cues: [] };
}
