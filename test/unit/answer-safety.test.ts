import { describe, expect, it } from "vitest";
import { checkSentence, groundingOf, type Passage, SentenceBuffer } from "../../src/answer/grounding.js";
import { looksSecret } from "../../src/answer/secrets.js";
import { contradictsVerdicts, eligibilityClaim, type VerdictIndex } from "../../src/answer/verdict-claims.js";

// Three made-up policies: one the company qualifies for, one that needs more facts, one it does not.
const index: VerdictIndex = {
  policies: [
    { id: "a", title: "某市研发费用后补助实施细则", verdict: "eligible" },
    { id: "b", title: "某市专精特新企业培育奖励办法", verdict: "needs_info" },
    { id: "c", title: "某区首台套装备保险补贴指南", verdict: "ineligible" },
  ],
  policyOfRef: new Map([
    [1, "a"],
    [2, "b"],
    [3, "c"],
  ]),
};
const unjudged: VerdictIndex = { policies: index.policies.map(({ id, title }) => ({ id, title })), policyOfRef: index.policyOfRef };

describe("claims that the company qualifies, against the engine's verdicts", () => {
  it.each<[string, "explicit" | "implied" | null]>([
    ["贵公司符合该政策的全部申报条件。", "explicit"],
    ["您完全满足申请要求[2]。", "explicit"],
    ["所有企业都符合申报条件。", "explicit"],
    ["你们可以直接申报《某区首台套装备保险补贴指南》。", "explicit"],
    ["我们公司有资格享受这项奖励。", "explicit"],
    ["可以申请《某市专精特新企业培育奖励办法》[2]。", "implied"],
    ["能享受研发费用后补助[1]。", "implied"],
    ["属于该办法的支持对象[3]。", "implied"],
    ["贵公司不符合注册地要求[3]。", null],
    ["您暂时无法申请该补贴。", null],
    ["贵公司是否符合条件，还需补充上年度营业收入。", null],
    ["如果贵公司已获评专精特新，就可以申请该奖励[2]。", null],
    ["符合条件的企业可以申请最高20万元奖励[2]。", null],
    ["注册在本区的装备制造企业可以申请保费补贴[3]。", null],
    ["申报单位须满足以下条件：依法登记注册。", null],
    ["满足条件后即可申请[1]。", null],
    ["贵公司可能符合条件，请补充研发人员数量。", null],
    ["贵公司能否申请？", null],
    ["可获得最高50万元资助[1]。", null],
    ["该办法对首次认定的企业给予一次性奖励[2]。", null],
  ])("%s → %s", (sentence, expected) => {
    expect(eligibilityClaim(sentence)).toBe(expected);
  });

  it.each<[string, string[], boolean]>([
    // About the policy it cites or names.
    ["贵公司符合申报条件[1]。", [], false],
    ["贵公司符合申报条件[2]。", [], true],
    ["可以申请《某区首台套装备保险补贴指南》，最高补贴保费的80%[3]。", [], true],
    ["可以申请《某市研发费用后补助实施细则》[1]。", [], false],
    // About every policy.
    ["贵公司符合所有政策的申报条件[1]。", [], true],
    ["以上政策贵公司均可申报。", [], true],
    // About the policy the previous sentence spoke of, else all of them.
    ["贵公司符合其申报条件。", ["a"], false],
    ["贵公司符合其申报条件。", ["b"], true],
    ["贵公司符合申报条件。", [], true],
    // Not a claim: a refusal, a conditional, a plain description.
    ["贵公司不符合《某区首台套装备保险补贴指南》的注册地要求[3]。", [], false],
    ["若补充上年度营业收入，才能判断是否可以申请[2]。", [], false],
    ["该办法对专精特新企业给予最高20万元奖励[2]。", [], false],
  ])("%s (context %j) dropped: %s", (sentence, context, expected) => {
    expect(contradictsVerdicts(sentence, index, context)).toBe(expected);
  });

  it("drops an explicit claim when the engine knows nothing of the company, but not an implied one", () => {
    expect(contradictsVerdicts("贵公司可以申请《某市研发费用后补助实施细则》[1]。", unjudged)).toBe(true);
    expect(contradictsVerdicts("可以申请《某市研发费用后补助实施细则》[1]。", unjudged)).toBe(false);
  });
});

describe("secret-looking text in a model's answer", () => {
  it.each<[string, boolean]>([
    ["配置 API_KEY=sk-test1234567890abcdefghij 即可调用。", true],
    ["OPENAI_API_KEY: abcd1234efgh", true],
    ["password=Hunter2024!", true],
    ["数据库密码：Pa55word_x9", true],
    ["请求头带上 Authorization: Bearer abcdefghijklmnop1234567890。", true],
    ["密钥是 sk-proj-AbCdEfGhIjKlMnOpQrStUv。", true],
    ["服务端 key pm_abcdefgh1234_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg。", true],
    ["AWS 访问密钥 AKIAABCDEFGHIJKLMNOP。", true],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9\n-----END RSA PRIVATE KEY-----", true],
    ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj", true],
    // Ordinary answers.
    ["对首次通过认定的高新技术企业给予一次性奖励30万元[1]。", false],
    ["申报入口：https://kjj.example.gov.cn/zwgk/tzgg/202603/t20260315_2455012.shtml。", false],
    ["文号为某科规〔2026〕3号，申报平台登录密码由系统短信发送。", false],
    ["研发费用加计扣除比例为100%，详见第三条[2]。", false],
  ])("%s → %s", (text, expected) => {
    expect(looksSecret(text)).toBe(expected);
  });

  it("keeps a private key block in one piece while it streams, so the check sees it whole", () => {
    const buffer = new SentenceBuffer();
    const out = [
      ...buffer.push("奖励30万元[1]。\n-----BEGIN PRIVATE"),
      ...buffer.push(" KEY-----\nMIIBVgIBADANBg\nkqhkiG9w0BAQEF\n"),
      ...buffer.push("-----END PRIVATE KEY-----\n以上。"),
      ...buffer.flush(),
    ];
    expect(out).toEqual(["奖励30万元[1]。", "\n", "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBg\nkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----\n", "以上。"]);
  });
});

describe("one sentence checked against everything at once", () => {
  const passage = (ref: number, policyId: string, title: string): Passage => ({
    ref,
    chunkId: `${policyId}#0`,
    policyId,
    title,
    heading: null,
    text: "给予奖励。",
  });
  const cards = index.policies.map((p, i) => ({ id: p.id, title: p.title, citations: [{ ref: i + 1 }], eligibility: { verdict: p.verdict! } }));
  const grounding = groundingOf(
    index.policies.map((p, i) => passage(i + 1, p.id, p.title)),
    cards,
  );

  it("names why a sentence is dropped", () => {
    expect(checkSentence("贵公司符合所有政策的申报条件[1]。", grounding)).toEqual({ text: "", dropped: "verdict_claim" });
    expect(checkSentence("调用时使用 API_KEY=sk-abcdefghijklmnopqrstu[1]。", grounding)).toEqual({ text: "", dropped: "secret" });
    expect(checkSentence("可以申请《某市研发费用后补助实施细则》[1][9]。", grounding)).toEqual({ text: "可以申请《某市研发费用后补助实施细则》[1]。" });
  });
});
