/**
 * Read the turn once: one stage turns a message, with the conversation so far,
 * into what every later stage takes (normalised text, the facts it states, the
 * profile they give, the intent, the policies a follow-up is about, the place
 * it names). Retrieval, judging and answering never re-read the raw question.
 */

import { overlap } from "../policies/conditions/kind.js";
import { type CompanyProfile, mergeProfiles, normalizeProfile, profileFromQuestion } from "../policies/profile.js";
import { placePathIn } from "../policies/region.js";
import { POLICY_WORDS } from "../retrieval/policy-terms.js";
import { resolveFocus } from "./focus.js";
import { classifyIntent, type Intent } from "./intent.js";
import { needText } from "./need.js";
import { normalizeText, normalizeTurn } from "./normalize.js";

export type PreviousPolicy = { id: string; title: string };

export type TurnInput = {
  question: string;
  /** The profile the caller sent with this message. */
  sent?: CompanyProfile;
  /** What we already know: the conversation's gathered profile, a saved company's. */
  known?: CompanyProfile;
  /** The earlier questions of this conversation, oldest first. */
  earlierQuestions: string[];
  /** The policies the previous answer was about, in the order it gave them. */
  previousPolicies: PreviousPolicy[];
  /** China's today, YYYY-MM-DD. */
  today: string;
};

export type UnderstoodTurn = {
  /** The message as every stage reads it: simplified, half-width, typos in policy terms corrected, English put in Chinese terms. */
  text: string;
  /** Set when the reading changed words (a typo, English), not just the script or width: what the service understood. */
  understoodAs?: string;
  /** What this message itself states about the company. */
  stated: CompanyProfile;
  /** The company as this turn sees it: stated > sent > known. */
  profile: CompanyProfile | undefined;
  intent: Intent;
  /** A follow-up about the previous answer's policies: which ones, in order. */
  focus: PreviousPolicy[] | null;
  /**
   * The focus is only presumed: the message names none of the policies and points at none («这个», «第二个»),
   * yet says what it is about in words of its own («想申报东湖高新区的概念验证中心，需要满足哪些条件»). A search of the whole
   * library may show it is a new question.
   */
  focusPresumed?: boolean;
  /** What retrieval searches for when it searches (a follow-up that stands on the previous question carries it). */
  searchText: string;
  /** The one place the turn names (with the previous question when it leans on it), or null. */
  place: string[] | null;
};

/** Intents that ask for a detail of policies already on the table. */
const DETAIL_INTENTS: ReadonlySet<Intent> = new Set([
  "amount",
  "deadline",
  "materials",
  "conditions",
  "process",
  "contact",
  "stackable",
  "compare",
  "eligibility",
]);

/** 「那申报条件呢？」「它的截止时间」: too short or pointing back to stand alone. */
/** «这个», «该政策», «上面», «它», «两个»: words that point at what is on the table. */
const POINTS_AT = /这|那|该|此|其|上述|上面|刚才|前面|以上|它|两个|两项|几个|都/;
/** Whether I qualify, whether two combine, which pays more: always about the policies on the table. */
const OWN_SUBJECT_INTENTS: ReadonlySet<Intent> = new Set(["eligibility", "stackable", "compare"]);
/** Han characters the message's need keeps once the company's own words («我们是…», «我们园区») are set aside. */
const ownWords = (text: string) =>
  needText(
    text
      .split(/[，,。；;？?！!]/)
      .filter((clause) => !/^(?:我们|我司|本公司|我公司|公司|咱们)/.test(clause))
      .join("，"),
  )
    .replace(/[^\p{Script=Han}]/gu, "")
    .replace(/想把我们|我们|有什么|多少|怎么|如何/g, "").length;

/** A programme by the name people give it: «市级特色产业园区», «概念验证中心», «博士后工作站», «专精特新认定». */
const PROGRAMME_NAME = /[\p{Script=Han}]{2,12}?(?:产业园|科技园|园区|中心|基地|工作站|计划|工程|平台|实验室|专项|基金|券|奖励|认定|资助|补贴)/gu;

/** Whether the message names a programme none of the policies on the table is titled by. */
function namesOtherProgramme(text: string, focus: PreviousPolicy[]): boolean {
  for (const m of text.matchAll(PROGRAMME_NAME)) {
    const name = m[0].replace(/^(?:想把|想|要|把|申报|申请|认定|我们|的)+/, "");
    if (name.length < 4) continue;
    if (focus.every((p) => overlap(name, p.title) < 0.5)) return true;
  }
  return false;
}

const POINTS_BACK = /^(那|那么|这个|这项|该|它|其|上述|还有|另外|此外)|(呢|吗)[？?]?$/;

export function understandTurn(input: TurnInput): UnderstoodTurn {
  const normalized = normalizeTurn(input.question);
  const text = normalized.text;
  const reworded = normalized.changes.some((c) => c.kind === "typo" || c.kind === "english");
  // The readers get the message as written beside its normalised form: an English one keeps whose figure is whose.
  const stated = profileFromQuestion(input.question, { today: input.today, normalized });
  const merged = mergeProfiles(stated, mergeProfiles(input.sent, input.known ?? {}));
  const profile = Object.keys(merged).length ? normalizeProfile(merged) : undefined;
  const hasHistory = input.earlierQuestions.length > 0;
  const { intent } = classifyIntent(text, { hasHistory });

  let focus: PreviousPolicy[] | null = null;
  let presumed = false;
  if (input.previousPolicies.length && (DETAIL_INTENTS.has(intent) || intent === "find")) {
    const resolved = resolveFocus(text, input.previousPolicies, intent);
    // A plain «有什么政策» after an answer is a new search; «第二个呢» or «专利那个» points at one on the table.
    const pointed = DETAIL_INTENTS.has(intent) || resolved.by === "position" || resolved.by === "name";
    if (pointed && !resolved.changesTopic && resolved.policyIds.length) {
      focus = resolved.policyIds.flatMap((id) => input.previousPolicies.filter((p) => p.id === id));
      presumed = resolved.by === "all" && !OWN_SUBJECT_INTENTS.has(intent) && !POINTS_AT.test(text) && ownWords(text) >= 4 && namesOtherProgramme(text, focus);
    }
  }
  const previous = input.earlierQuestions.at(-1);
  const before = previous === undefined ? "" : normalizeText(previous);
  const pointsBack = previous !== undefined && (text.length <= 12 || POINTS_BACK.test(text.trim()));
  // 「那博士后有什么资助政策？」 after a question on insurance names a topic of its own: it is searched alone.
  const ownTopic = POLICY_WORDS.some((w) => text.includes(w) && !before.includes(w));
  const leansOnPrevious = pointsBack && !ownTopic;
  const searchText = leansOnPrevious ? `${before} ${text}` : text;
  // 「那申报条件呢？」 after 「武汉高企认定有奖励吗」 is still about 武汉, and so is a new topic asked the same way.
  const place = placePathIn(searchText) ?? (pointsBack ? placePathIn(before) : null);
  return { text, ...(reworded ? { understoodAs: text } : {}), stated, profile, intent, focus, ...(presumed ? { focusPresumed: true } : {}), searchText, place };
}
