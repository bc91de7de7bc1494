/**
 * The replies to turns that need no search: small talk, and questions outside
 * science-and-technology policy. Neither repeats the user's words back.
 */

/** Three questions that show what the assistant answers. */
export const exampleQuestions: readonly string[] = [
  "通过高新技术企业认定后，能拿到哪些奖励？",
  "研发费用加计扣除怎么享受，扣除比例是多少？",
  "申报专精特新中小企业需要满足什么条件？",
];

const COVERS = "科技政策：资质认定（高新技术企业、专精特新等）、研发补贴与加计扣除、人才引进、知识产权、科技金融、成果转化、孵化载体等";

const numbered = (items: readonly string[]) => items.map((q, i) => `${i + 1}. ${q}`).join("\n");

export function greetingReply(): string {
  return [
    "您好！我是科技政策助手，可以帮您查找适用的科技政策，讲清支持标准、申报条件、申报时间和材料，并结合企业情况判断能否申请。",
    "您可以这样问：",
    numbered(exampleQuestions),
  ].join("\n");
}

/** Where a question we do not cover is better asked, by its subject. */
const ELSEWHERE: ReadonlyArray<readonly [RegExp, string]> = [
  [/个税|个人所得税|出口退税|专项附加扣除|发票|汇算/, "税务问题可咨询当地税务部门或拨打 12366 纳税服务热线。"],
  [/社保|公积金|养老金|失业|试用期|离职|辞职|辞退|劳动|婚假|产假|年假/, "社保和劳动用工问题可咨询当地人社部门或拨打 12333。"],
];

export function outOfScopeReply(text: string): string {
  const elsewhere = ELSEWHERE.find(([re]) => re.test(text))?.[1];
  return [
    `这个问题不在我能解答的范围内。我专注于${COVERS}。`,
    ...(elsewhere ? [elsewhere] : []),
    "如果您想了解企业能享受的科技政策，可以换个说法再问，例如：",
    numbered(exampleQuestions),
  ].join("\n");
}
