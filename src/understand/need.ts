/**
 * What a question asks about, apart from how it is asked and who asks it: the
 * words left once greetings, politeness and hearsay («听朋友说»), figures and
 * dates about the company, and place names are taken out. Places and figures
 * are for the place filter and eligibility, not for judging whether a policy's
 * text speaks to the need; a long, chatty message would otherwise dilute its
 * own topic («您好，我们公司……，想了解……»).
 */
import { findPlaces } from "../policies/region.js";
import { findQualifications } from "../policies/vocabulary.js";

/** Ways of asking that say nothing about the need. */
const ASKING = [
  /您好|你好|hello|hi(?![a-z])|在吗|打扰(一下|了)?|麻烦(您|你|问一下|问下)?|请问(一下|下)?|想(问|咨询|了解)(一下|下|问)?|咨询(一下|下)|谢谢(您|你|了)?|多谢/gi,
  /(听)?(朋友|同行|别人|人家|同事)(说|讲|介绍)(过)?/g,
  /听说|据说|好像|似乎|据了解|老板让我(问问|问一下|了解一下)?|领导让我(问问|问一下|了解一下)?|我不太懂(这些|这个)?|不太清楚|不知道|具体/g,
  /(能不能|可不可以|可以吗|能否|是否|有没有|有无|吗|呢|呀|啊|吧)/g,
];

/**
 * What kind of answer is wanted (money, conditions, steps, time): the intent
 * carries it, and every policy's text has these words, so they say nothing
 * about whether a policy speaks to the topic (流片补贴 is about 流片).
 */
const KIND_OF_ANSWER =
  /补贴|补助|奖励|资助|扶持|支持|资金|给钱|拿钱|政策|文件|规定|申请|申报|办理|享受|怎么|如何|怎样|哪些|哪个|什么|多少|多久|多长时间|最多|最高|条件|要求|门槛|材料|流程|程序|时间|期限|截止|可以|需要/g;

/** A figure with its unit: 800万, 三千万元, 两年, 15%, 四十来人 (a Chinese numeral only with a unit: 一次性 stays). */
const UNIT = "(?:万元|亿元|元|美元|万|亿|人|名|个|家|项|件|年|月|日|号|天|平方米|平|%|％|倍|岁)";
const FIGURE = new RegExp(
  `(?:\\d+(?:\\.\\d+)?[余多来几]?[十百千万亿]*${UNIT}?|[零〇一二两三四五六七八九十百千]+[余多来几]?[十百千万亿]*${UNIT})(?:左右|以上|以下|上下)?`,
  "g",
);

/** Time words about when the company did something, not about the policy. */
const WHEN = /去年|今年|前年|明年|最近|近期|目前|现在|刚刚|刚|已经|陆续|之前|以前|当时|马上|准备|打算/g;

export function needText(text: string): string {
  // «我们是深圳南山的软件公司，…»: who asks, not what about; unless it is all the message says («我们是做芯片设计的公司，有什么补贴»).
  // A qualification it names («我们是武汉的高新技术企业») is what policies are written for: it stays.
  const asked = strip(withoutSelfDescription(text));
  return /\p{Script=Han}{2}/u.test(asked) ? asked : strip(text);
}

/** The text without what the company says it is, unless that names a qualification («我们是武汉的高新技术企业»). */
const withoutSelfDescription = (text: string) => text.replace(SELF_DESCRIPTION, (said) => (findQualifications(said).length ? said : " "));

/**
 * Whether the question names what it is about, beyond who asks: «武汉有哪些补贴？» and
 * «我们是北京海淀的一家做芯片设计的公司，成立三年，能申请哪些补贴？» name none (a place's policies are what
 * they ask for), «海淀有首台套政策吗» names 首台套. The company's self-description (as needText drops it) and
 * the clauses stating its figures («成立三年», «研发投入占比5%») are taken out with the ways of asking.
 */
export function namesTopic(text: string): boolean {
  const asked = withoutSelfDescription(text)
    .split(/[，,；;。！!]/)
    .filter((clause) => !(FIGURE_IN_CLAUSE.test(clause) && !ASKS.test(clause)))
    .join("，");
  return /\p{Script=Han}{2}/u.test(strip(asked));
}

/** A figure in a clause, and the words that make a clause a question rather than a statement of the company's figures. */
const FIGURE_IN_CLAUSE = /\d|[一二两三四五六七八九十百千万]+[余多来几]?(?:年|个月|人|名|万|亿|家|项|件)/;
const ASKS = /[？?]|什么|哪些|哪个|多少|怎么|如何|能否|是否|可以|有没有|吗|呢/;

function strip(text: string): string {
  let out = text;
  for (const place of [...findPlaces(out)].reverse()) out = out.slice(0, place.start) + " " + out.slice(place.end);
  for (const re of [...ASKING, KIND_OF_ANSWER]) out = out.replace(re, " ");
  out = out.replace(WHEN, " ").replace(FIGURE, " ");
  return out.replace(/\s+/g, " ").trim();
}

/** A sentence that says what the company is: «我们是一家做工业软件的公司，», «我司为南山区的集成电路企业，». */
const SELF_DESCRIPTION =
  /(?:我们|我司|本公司|我们公司|我公司|我们这边)(?:是|为)(?:一家|一个)?[^，,。？?；;！!]{0,24}?(?:公司|企业|工厂|厂|单位|机构)(?=[，,。；;！!\s])/g;
