import type { Clause, Owner } from "./reader.js";

// 如果研发占比提到5%, 明年营收目标6000万, 研发投入做到1000万: not what the company is.
const CONDITION = /如果|假如|假设|要是|若是|倘若|万一|一旦|\bif\b/i;
const HYPOTHETICAL =
  /如果|假如|假设|要是|若是|倘若|万一|一旦|做到|提到|提高到|提升到|增加到|降到|达标|预计|预期|预测|目标|计划|打算|准备|争取|力争|希望|期望|明年|后年|将来|未来|以后|到时候|的话|\bif\b|\bexpect/i;
// 政策说最高给500万, 能拿多少: the policy's figures.
const POLICY = /政策|文件|通知|办法|规定|细则|最高|上限|给予|奖励|补贴|补助|资助|可获|能拿|能领|门槛|要求|条件|标准/;
// 客户营收几千亿, 隔壁公司营收一个亿: somebody else's figures.
const CUSTOMER =
  /客户|合作方|合作伙伴|供应商|对方|甲方|乙方|股东|投资方|投资人|母公司|子公司|兄弟公司|集团|竞争对手|友商|同行|隔壁|别人|别家|别的公司|其他公司|其他企业|人家|他们|她们|上游|下游/;
// A question's bound: 不到50人能申请吗, 营收5000万以上的企业有哪些.
const QUESTION = /[吗呢]|多少|哪些|什么|怎么|如何|能否|能不能|可不可以|是否|有没有/;
const BOUND = /不到|不足|不满|未满|不超过|超过|低于|高于|少于|多于|至少|以上|以下|以内|的(?:企业|公司|单位)/;
// Another company the message names: 「给华为做配套」「客户是比亚迪」「宁德时代是我们的客户」.
const OTHER_PARTY = [
  /给([\p{Script=Han}A-Za-z]{2,8}?)(?:做|供|提供|代工|配套|生产|加工)/gu,
  /(?:客户|甲方|股东|母公司)(?:是|有|包括|主要是)?([\p{Script=Han}A-Za-z]{2,8}?)(?:[，,。；、和与及等]|$)/gu,
  /([\p{Script=Han}A-Za-z]{2,8}?)是我们的(?:客户|甲方|股东|供应商|母公司)/gu,
];

/** Whose statement a clause is, from its own words and the question mark after it. */
export function ownerOf(clause: Clause, text = ""): Owner {
  const words = clause.text;
  if (HYPOTHETICAL.test(words)) return "hypothetical";
  if (CUSTOMER.test(words) || otherParties(text).some((name) => startsWithName(words, name))) return "customer";
  if (POLICY.test(words)) return "policy";
  const asked = QUESTION.test(words) || /^[？?]/.test(text.slice(clause.end));
  if (asked && BOUND.test(words)) return "question";
  return "us";
}

/** The other companies a message names. */
export function otherParties(text: string): string[] {
  const names = OTHER_PARTY.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
  return [...new Set(names)].filter((n) => !/我们|我司|公司|企业|本/.test(n));
}

/** 「华为一年营收几千亿」: a clause about the named company (not 「给华为做配套」). */
function startsWithName(clause: string, name: string): boolean {
  const i = clause.indexOf(name);
  return i >= 0 && !/[给和跟与为替帮]$/.test(clause.slice(0, i)) && !clause.slice(0, i).includes("我们");
}

// 「要是我们搬到昌平，研发做到800万，能拿多少？」: a condition runs on to the sentence's end,
// unless a clause turns back to what is (现在, 目前, 去年 …).
const BACK_TO_FACT = /现在|目前|现有|已经|去年|前年|今年|上年|实际|其实|我们是|我们有/;

/** The owner of each clause, a condition carried over the clauses after it in its sentence. */
export function ownersOf(clauses: Clause[], text: string): Owner[] {
  const owners: Owner[] = [];
  clauses.forEach((c, i) => {
    const before = clauses[i - 1];
    const sameSentence = before && /^[，,]\s*$/.test(text.slice(before.end, c.start));
    const conditional = sameSentence && owners[i - 1] === "hypothetical" && conditionRuns(clauses, i - 1);
    owners.push(conditional && !BACK_TO_FACT.test(c.text) ? "hypothetical" : ownerOf(c, text));
  });
  return owners;
}

/** Whether the hypothetical clause at i (or the one it continues) opens with 如果/假如 …. */
function conditionRuns(clauses: Clause[], i: number): boolean {
  for (let j = i; j >= 0; j--) if (CONDITION.test(clauses[j].text)) return true;
  return false;
}
