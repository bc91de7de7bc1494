import { looksSecret } from "./secrets.js";
import { contradictsVerdicts, type VerdictIndex } from "./verdict-claims.js";

/**
 * Rules a model's answer must obey whatever the model was told by a question
 * or a document: it cites only the passages it was given, names only the
 * policies it was given, never contradicts the eligibility engine's verdicts
 * and never shows anything that looks like a credential. Pure functions,
 * applied sentence by sentence so that a streamed answer is checked before
 * the user sees it.
 */

export type Passage = {
  /** The number the model cites as [ref]; shared with the cards' citations. */
  ref: number;
  chunkId: string;
  policyId: string;
  title: string;
  heading: string | null;
  text: string;
};

export type Grounding = {
  refs: Set<number>;
  /** The retrieved policies' titles: the only policies an answer may name. */
  knownTitles: string[];
  /** The engine's verdict on each policy card: what the answer may say about the company's eligibility. */
  verdicts: VerdictIndex;
};

/** A policy card as far as grounding needs it. */
type CardVerdict = { id: string; title: string; citations: Array<{ ref: number }>; eligibility?: { verdict: VerdictIndex["policies"][number]["verdict"] } };

/**
 * Only retrieved policies may be named, even ones a passage itself quotes: a
 * document can quote anything, including a policy it wants recommended.
 */
export function groundingOf(passages: Passage[], cards: CardVerdict[] = []): Grounding {
  const policyOfRef = new Map<number, string>();
  for (const c of cards) for (const cit of c.citations) policyOfRef.set(cit.ref, c.id);
  for (const p of passages) policyOfRef.set(p.ref, p.policyId);
  return {
    refs: new Set(passages.map((p) => p.ref)),
    knownTitles: [...new Set(passages.map((p) => p.title))],
    verdicts: { policies: cards.map((c) => ({ id: c.id, title: c.title, verdict: c.eligibility?.verdict })), policyOfRef },
  };
}

/** A citation as models and the extractive answer write it: [1], 【2】, [1,2]; the group is the list of numbers. */
export const CITATION_PATTERN = String.raw`[[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]`;
const CITATION = new RegExp(CITATION_PATTERN, "g");

/** [n] references in a text, in order of first use. */
export function citedRefs(text: string): number[] {
  const refs: number[] = [];
  for (const m of text.matchAll(CITATION)) {
    for (const n of m[1].split(/[,，、]/).map((s) => Number(s.trim()))) if (!refs.includes(n)) refs.push(n);
  }
  return refs;
}

const normTitle = (t: string) => t.replace(/[\s“”"'‘’（）()〔〕[\]【】]/g, "");

/** A title is grounded when it is (part of) a retrieved policy's title. */
export function isKnownTitle(title: string, grounding: Grounding): boolean {
  const t = normTitle(title);
  if (t.length < 2) return true;
  return grounding.knownTitles.some((k) => {
    const n = normTitle(k);
    return n === t || (t.length >= 6 && (n.includes(t) || t.includes(n)));
  });
}

export type DropReason = "unknown_policy" | "secret" | "verdict_claim";
export type SentenceCheck = { text: string; dropped?: DropReason };

/**
 * One sentence of the answer as the user may see it: 【n】 and [1,2] become
 * [n][m]; references to passages the model was not given are removed; a
 * sentence is dropped whole when it looks like it carries a credential, names
 * a policy that was not retrieved, or says the company qualifies where the
 * engine's verdict says otherwise. `context` is the policies the answer spoke
 * of last, for a claim that names none (「贵公司符合申报条件。」).
 */
export function checkSentence(sentence: string, grounding: Grounding, context: string[] = []): SentenceCheck {
  if (looksSecret(sentence)) return { text: "", dropped: "secret" };
  for (const m of sentence.matchAll(/《([^《》\n]{1,80})》/g)) {
    if (!isKnownTitle(m[1], grounding)) return { text: "", dropped: "unknown_policy" };
  }
  const text = sentence.replace(CITATION, (_all, list: string) =>
    list
      .split(/[,，、]/)
      .map((s) => Number(s.trim()))
      .filter((n) => grounding.refs.has(n))
      .map((n) => `[${n}]`)
      .join(""),
  );
  if (contradictsVerdicts(text, grounding.verdicts, context)) return { text: "", dropped: "verdict_claim" };
  return { text };
}

/** A sentence ends at 。！？；or a line break, after any citations that follow it. */
const SENTENCE_END = new RegExp(String.raw`[。！？；!?\n](?:\s*${CITATION_PATTERN})*`, "g");

/** A private key block, closed or not yet: its lines stay one "sentence", so the check sees the whole block. */
const KEY_BLOCK = /-----BEGIN[A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----)?/g;

/** Splits a token stream into sentences: the check needs a whole sentence, the reader wants them as soon as they end. */
export class SentenceBuffer {
  private pending = "";

  /** Adds streamed text; returns the sentences it completed. */
  push(token: string): string[] {
    this.pending += token;
    const out: string[] = [];
    let last = 0;
    const blocks = [...this.pending.matchAll(KEY_BLOCK)].map((b) => ({ from: b.index, to: /-----END/.test(b[0]) ? b.index + b[0].length : Infinity }));
    for (const m of this.pending.matchAll(SENTENCE_END)) {
      const end = m.index + m[0].length;
      const inside = blocks.find((b) => end > b.from && end < b.to);
      if (inside?.to === Infinity) break;
      if (inside) continue;
      // Hold back an end that may yet be followed by its citation: "…元。" then "[1]".
      const rest = this.pending.slice(end);
      if (rest === "" || /^\s*[[【][\d,，、\s]*$/.test(rest)) break;
      out.push(this.pending.slice(last, end));
      last = end;
    }
    this.pending = this.pending.slice(last);
    return out;
  }

  /** What is left when the stream ends. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = "";
    return rest ? [rest] : [];
  }
}

/** Answers that say the policies do not answer the question need no citation. */
export const NO_ANSWER_WORDS = /没有找到|未找到|未能找到|无法回答|不能回答|没有(?:相关|直接相关|可以回答)|未涉及|没有涉及|不包含/;
