/**
 * The same question as users also type it: in traditional characters, and
 * with one homophone slip in a policy term (高心技术企业). The service should
 * find the same top policy for each as for the plain question.
 */
import * as OpenCC from "opencc-js/cn2t";
import { POLICY_WORDS } from "../retrieval/policy-terms.js";

const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });

/** Characters commonly typed for one another by pinyin input (same or near sound). */
const HOMOPHONES: Record<string, string> = {
  新: "心",
  技: "及",
  术: "述",
  企: "起",
  业: "页",
  研: "严",
  发: "法",
  费: "废",
  补: "不",
  贴: "帖",
  奖: "将",
  励: "历",
  认: "任",
  定: "订",
  申: "伸",
  报: "抱",
  专: "转",
  利: "力",
  型: "形",
  科: "棵",
  创: "闯",
  资: "姿",
  助: "住",
  扣: "寇",
  除: "出",
  知: "织",
  识: "时",
  产: "铲",
  权: "全",
  精: "经",
  特: "持",
  投: "头",
  入: "如",
  券: "卷",
  孵: "浮",
  化: "话",
};

export function traditionalOf(question: string): string {
  return toTraditional(question);
}

const TERMS = [...new Set(POLICY_WORDS)].filter((w) => w.length >= 4).sort((a, b) => b.length - a.length);

/** One slip in the first policy term of four or more characters, or null when the question has none. */
export function typoOf(question: string): string | null {
  for (const term of TERMS) {
    const at = question.indexOf(term);
    if (at < 0) continue;
    // The second character, not the first: people rarely miss the start of a word.
    for (let i = 1; i < term.length; i++) {
      const slip = HOMOPHONES[term[i]];
      if (slip) return question.slice(0, at + i) + slip + question.slice(at + i + 1);
    }
  }
  return null;
}

export type VariantFigures = { traditional: { questions: number; same: number }; typo: { questions: number; same: number } };

/**
 * For each question with an answer: does its traditional variant, and its
 * one-slip variant, get the same top policy as the question itself?
 */
export async function compareVariants(
  cases: Array<{ id: string; question: string }>,
  plainTop: Map<string, string | undefined>,
  topOf: (question: string) => Promise<string | undefined>,
): Promise<Array<{ id: string; traditional: boolean; typo: boolean | null }>> {
  const out: Array<{ id: string; traditional: boolean; typo: boolean | null }> = [];
  for (const c of cases) {
    const plain = plainTop.get(c.id);
    if (plain === undefined) continue;
    const slip = typoOf(c.question);
    out.push({
      id: c.id,
      traditional: (await topOf(traditionalOf(c.question))) === plain,
      typo: slip === null ? null : (await topOf(slip)) === plain,
    });
  }
  return out;
}

export function summarizeVariants(rows: Array<{ traditional: boolean; typo: boolean | null }>): VariantFigures {
  const typed = rows.filter((r) => r.typo !== null);
  return {
    traditional: { questions: rows.length, same: rows.filter((r) => r.traditional).length },
    typo: { questions: typed.length, same: typed.filter((r) => r.typo).length },
  };
}
