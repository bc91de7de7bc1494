import { OPEN_TENANT } from "../access/keys.js";
import { getCompany, type SavedCompany, saveCompany } from "../companies/company-profiles.js";
import type { Db } from "../db/db.js";
import { getPolicies } from "../db/policy-store.js";
import { appendTurn, createSession, deleteExpiredSessions, findSession, recentTurns, type SessionRecord } from "../db/session-store.js";
import { todayInChina } from "../lib/china-time.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import type { ChatClient } from "../llm/chat-model.js";
import type { Embedder } from "../llm/embeddings.js";
import { type CompanyProfile, mergeProfiles, normalizeProfile } from "../policies/profile.js";
import type { Analyzer } from "../retrieval/analyzer.js";
import type { SessionSettings } from "../settings.js";
import type { Intent } from "../understand/intent.js";
import { withProposals } from "../understand/proposals.js";
import { exampleQuestions, greetingReply, outOfScopeReply } from "../understand/smalltalk.js";
import { understandTurn } from "../understand/turn.js";
import { type ChatRequest, extractiveAnswer, type PreparedAnswer, prepareFromHits, type Retrieved, retrieveFocused, retrieveForQuestion } from "./answer.js";
import { type Citation, clip, type PolicyCard } from "./extractive.js";
import { citedRefs, SentenceBuffer } from "./grounding.js";
import { ClientGone, type FallbackReason, generateAnswer, ModelBudget, ModelFailure, rewriteQuestion, type Turn, withOneRetry } from "./model-answer.js";

export type ChatInput = ChatRequest & {
  /** Continue this conversation. */
  sessionId?: string;
  /** The caller's id for the user (a WeChat openid, say): continues that user's live conversation or starts one. */
  externalUserId?: string;
  /** Whose conversations these are: a tenant never sees another's. */
  tenantId?: string;
  /** Where the caller's conversations live when not the tenant's own (a widget key's are kept apart: conversationScope). */
  conversationScope?: string;
  /** Earlier turns the caller keeps itself (an OpenAI-style message list); a session's own turns otherwise. */
  history?: Turn[];
  /** A saved company (PUT /v1/companies/:id) of the tenant: its profile is the base, and with its consent what it states updates it. */
  companyId?: string;
};

export type ChatResult = {
  answer: string;
  policies: PolicyCard[];
  /** The passages the answer cites as [n]. */
  citations: Citation[];
  /** llm: written by the chat model from the passages; extractive: composed from the policies' own sentences. */
  mode: "llm" | "extractive";
  /** True when a configured model failed and the extractive answer stands in. */
  degraded: boolean;
  /** Why the answer is degraded, in words and as a code. */
  fallback?: { reason: FallbackReason; message: string };
  model?: string;
  /** The profile the eligibility checks used: the caller's, plus facts stated in the question and earlier turns. */
  profile?: CompanyProfile;
  followUpQuestions: string[];
  sessionId?: string;
  /** What the turn asks for, as the service read it. */
  intent: Intent;
  /** The message as the service read it, when that changed its words (a typo corrected, English put in Chinese terms). */
  understoodAs?: string;
};

/** Receives an answer as it forms; the SSE route writes each call as an event. */
export type ChatSink = {
  policies(head: Pick<ChatResult, "policies" | "profile" | "followUpQuestions" | "sessionId">): Promise<void>;
  token(text: string): Promise<void>;
  /**
   * The text streamed so far is withdrawn: a fallback answer follows. Only a
   * model failure after checked text went out (a timeout or a broken
   * connection mid-answer) resets; text that fails a check never goes out.
   */
  reset(reason: { reason: FallbackReason; message: string }): Promise<void>;
};

const HISTORY_TURNS = 4;
/** A presumed follow-up is a new question when the policies on the table score under this share of the library's best. */
const NEW_QUESTION_MARGIN = 0.5;
/** How many policies an answer offers. */
const ANSWER_POLICIES = 5;

type ChatDeps = { db: Db; embedder: Embedder; analyzer: Analyzer; clock: Clock; logger: Logger; chat?: ChatClient; sessions: SessionSettings };

/**
 * One turn in five steps: understand the message (with the conversation so
 * far), retrieve the policies it is about, judge the company against them,
 * answer, remember.
 */
export async function chat(
  deps: ChatDeps,
  input: ChatInput,
  options: { sink?: ChatSink; signal?: AbortSignal; session?: SessionRecord | null } = {},
): Promise<ChatResult> {
  const now = deps.clock.now();
  const today = todayInChina(deps.clock);
  // A streaming route opens the session before its stream starts, so an unknown session is still a plain 404.
  const session = options.session === undefined ? await openSession(deps, input, now) : (options.session ?? undefined);
  const turns: Array<Turn & { policyIds: string[] }> =
    input.history?.map((t) => ({ ...t, policyIds: [] })) ?? (session ? await recentTurns(deps.db, session.id, HISTORY_TURNS) : []);
  const history: Turn[] = turns.map((t) => ({ question: t.question, answer: t.answer }));
  const company = input.companyId ? await getCompany(deps.db, input.tenantId ?? OPEN_TENANT, input.companyId) : undefined;
  if (input.companyId && !company) throw new AppError("not_found", `companyId: 没有这家企业：${input.companyId}`);
  // The saved profile is what we already know, like a conversation's: what the question states wins over it.
  const known = company ? mergeProfiles(session?.profile as CompanyProfile | undefined, company.profile) : (session?.profile as CompanyProfile | undefined);
  const previousIds = turns.at(-1)?.policyIds ?? [];
  const previousPolicies = previousIds.length ? (await getPolicies(deps.db, previousIds)).map((p) => ({ id: p.id, title: p.title })) : [];

  // 1. Understand.
  const turn = understandTurn({
    question: input.question,
    sent: input.profile,
    known,
    earlierQuestions: turns.map((t) => t.question),
    previousPolicies: previousIds.flatMap((id) => previousPolicies.filter((p) => p.id === id)),
    today,
  });
  let profile = turn.profile;
  if (turn.intent === "greeting" || turn.intent === "out_of_scope") {
    return reply(
      deps,
      { input, session, profile, company, now, stated: turn.stated, intent: turn.intent },
      turn.intent === "greeting" ? greetingReply() : outOfScopeReply(turn.text),
      options.sink,
    );
  }

  const budget = deps.chat ? new ModelBudget(deps.chat.timeoutMs, options.signal) : undefined;
  try {
    let searchQuery: string | undefined = turn.searchText;
    let placePath: string[] | null | undefined = turn.place;
    let fallback: ChatResult["fallback"];
    let companyFacts: string[] = [];
    let stated = turn.stated;
    if (deps.chat && budget && deps.chat.rewrite && !turn.focus) {
      try {
        // The rewrite may use a third of the deadline; the answer needs the rest.
        const rewrite = await rewriteQuestion(deps.chat, turn.text, history, budget.share(1 / 3));
        searchQuery = rewrite.query;
        placePath = undefined;
        companyFacts = rewrite.companyFacts;
      } catch (err) {
        const failure = budget.classify(err);
        if (failure instanceof ClientGone) throw failure;
        // Retrieval can do without the rewrite; the answer still gets its chance.
        deps.logger.warn("query rewrite failed; searching with the question as asked", { reason: failure.reason, message: failure.message });
      }
      if (companyFacts.length) {
        // The model's facts are proposals: the readers read them, and only what the message's own words carry stands.
        stated = withProposals(turn.stated, companyFacts, input.question, today);
        profile = normalizeProfile(mergeProfiles(stated, profile ?? {}));
      }
    }

    // 2. Retrieve: a follow-up about the policies on the table searches inside them; anything else searches the library.
    const limit = input.limit ?? ANSWER_POLICIES;
    const searchLibrary = () =>
      retrieveForQuestion(
        deps,
        { question: searchQuery ?? turn.text, profile, filters: input.filters, placePath },
        { limit: Math.max(limit * 2, 10), answers: limit },
      );
    let focus = turn.focus;
    let library: Awaited<ReturnType<typeof searchLibrary>> | undefined;
    if (focus && turn.focusPresumed) {
      // A follow-up presumed to be about the policies on the table, naming a programme none of them is:
      // when the library's best answer is another policy and the table's best scores under half of it, it is a new question.
      library = await searchLibrary();
      const onTable = new Set(focus.map((p) => p.id));
      const best = library.answers[0];
      const tableBest = Math.max(0, ...library.ranked.filter((h) => onTable.has(h.policyId)).map((h) => h.score));
      if (best && !onTable.has(best.policyId) && tableBest < best.score * NEW_QUESTION_MARGIN) focus = null;
    }
    const retrieved: Pick<Retrieved, "answers" | "uncoveredPlace" | "browse"> = focus
      ? {
          answers: await retrieveFocused(
            deps,
            turn.text,
            focus.map((p) => p.id),
            turn.intent,
          ),
        }
      : (library ?? (await searchLibrary()));
    const hits = retrieved.answers;
    // 3. Judge, and gather what an answer cites.
    const prepared = await prepareFromHits(deps, hits, {
      profile,
      question: turn.text,
      context: turn.searchText,
      focused: Boolean(focus),
      ...(turn.intent !== "find" ? { intent: turn.intent } : {}),
      ...(retrieved.uncoveredPlace ? { uncoveredPlace: retrieved.uncoveredPlace } : {}),
      ...(retrieved.browse ? { browse: limit } : {}),
    });
    const head = {
      policies: prepared.cards,
      ...(profile ? { profile } : {}),
      followUpQuestions: prepared.followUpQuestions,
      ...(session ? { sessionId: session.id } : {}),
    };
    await options.sink?.policies(head);

    let answer: string | undefined;
    let streamed = false;
    if (deps.chat && budget && prepared.cards.length) {
      const chatClient = deps.chat;
      try {
        const generated = await withOneRetry(
          budget,
          () =>
            generateAnswer(
              chatClient,
              { question: turn.text, passages: prepared.passages, cards: prepared.cards, companyFacts: profile?.facts ?? [], history },
              {
                signal: budget.signal,
                stream: Boolean(options.sink),
                onText: options.sink ? async (t) => ((streamed = true), options.sink!.token(t)) : undefined,
              },
            ),
          {
            logger: deps.logger,
            // Only checked text ever went out; it is withdrawn before the second try streams its own.
            beforeRetry: async (failure) => {
              if (streamed) await options.sink?.reset({ reason: failure.reason, message: `${failure.message}；重新生成回答` });
              streamed = false;
            },
          },
        );
        answer = generated.answer;
        if (generated.droppedSentences) deps.logger.warn("answer sentences dropped by the checks", { dropped: generated.dropped });
      } catch (err) {
        const failure = err instanceof ClientGone || err instanceof ModelFailure ? err : budget.classify(err);
        if (failure instanceof ClientGone) throw failure;
        fallback = { reason: failure.reason, message: `${failure.message}；以下为政策原文摘录` };
        deps.logger.warn("model answer failed; answering extractively", { reason: failure.reason, message: failure.message });
        if (streamed) await options.sink?.reset(fallback);
      }
    }
    const mode: ChatResult["mode"] = answer !== undefined ? "llm" : "extractive";
    if (answer === undefined) {
      answer = extractiveAnswer(prepared);
      if (options.sink) await streamText(answer, options.sink);
    }

    const result: ChatResult = {
      answer,
      policies: prepared.cards,
      citations: citationsOf(answer, prepared),
      mode,
      degraded: Boolean(fallback),
      ...(fallback ? { fallback } : {}),
      ...(deps.chat && mode === "llm" ? { model: deps.chat.name } : {}),
      ...(profile ? { profile } : {}),
      followUpQuestions: prepared.followUpQuestions,
      ...(session ? { sessionId: session.id } : {}),
      intent: turn.intent,
      ...(turn.understoodAs ? { understoodAs: turn.understoodAs } : {}),
    };
    if (session) {
      await appendTurn(
        deps.db,
        session.id,
        { question: input.question, answer, policyIds: prepared.cards.map((c) => c.id), mode },
        profile ?? {},
        now,
        sessionExpiry(deps, now),
      );
    }
    // 5. Remember.
    if (company?.chatUpdates) await rememberStatedFacts(deps, input, company, stated, now);
    return result;
  } finally {
    budget?.dispose();
  }
}

/**
 * With the company's consent, what it states in a question (revenue, place,
 * qualifications, facts) updates its saved profile: the new statement wins a
 * field, facts accumulate, and the change is a version of source "chat".
 */
async function rememberStatedFacts(deps: { db: Db }, input: ChatInput, company: SavedCompany, stated: CompanyProfile, now: Date) {
  if (Object.keys(stated).length === 0) return;
  await saveCompany(deps.db, input.tenantId ?? OPEN_TENANT, company.externalId, { profile: (current) => mergeProfiles(stated, current), source: "chat" }, now);
}

/** A session lives SESSION_TTL_HOURS past its last turn. */
const sessionExpiry = (deps: { sessions: SessionSettings }, now: Date) => new Date(now.getTime() + deps.sessions.ttlHours * 3_600_000);

/** A greeting or an out-of-scope message gets its reply and no policies; the conversation and what it stated are kept all the same. */
async function reply(
  deps: ChatDeps,
  ctx: { input: ChatInput; session?: SessionRecord; profile?: CompanyProfile; company?: SavedCompany; now: Date; stated: CompanyProfile; intent: Intent },
  answer: string,
  sink?: ChatSink,
): Promise<ChatResult> {
  const { input, session, profile, company, now } = ctx;
  const followUpQuestions = exampleQuestions.slice(0, 3);
  await sink?.policies({ policies: [], ...(profile ? { profile } : {}), followUpQuestions, ...(session ? { sessionId: session.id } : {}) });
  if (sink) await streamText(answer, sink);
  if (session)
    await appendTurn(
      deps.db,
      session.id,
      { question: input.question, answer, policyIds: [], mode: "extractive" },
      profile ?? {},
      now,
      sessionExpiry(deps, now),
    );
  if (company?.chatUpdates) await rememberStatedFacts(deps, input, company, ctx.stated, now);
  return {
    answer,
    policies: [],
    citations: [],
    mode: "extractive",
    degraded: false,
    ...(profile ? { profile } : {}),
    followUpQuestions,
    ...(session ? { sessionId: session.id } : {}),
    intent: ctx.intent,
  };
}

export async function openSession(
  deps: { db: Db; sessions: SessionSettings },
  input: Pick<ChatInput, "sessionId" | "externalUserId" | "tenantId" | "conversationScope">,
  now: Date,
): Promise<SessionRecord | undefined> {
  if (!input.sessionId && !input.externalUserId) return undefined;
  const tenant = input.conversationScope ?? input.tenantId ?? OPEN_TENANT;
  if (input.sessionId) {
    const found = await findSession(deps.db, tenant, { id: input.sessionId }, now);
    // Another user's session is as absent as an expired one.
    if (!found || (input.externalUserId && found.userId !== input.externalUserId))
      throw new AppError("not_found", "sessionId: 会话不存在或已过期，请不带 sessionId 重新开始");
    return found;
  }
  const live = await findSession(deps.db, tenant, { userId: input.externalUserId }, now);
  if (live) return live;
  // A new conversation is the moment to forget the expired ones.
  await deleteExpiredSessions(deps.db, now);
  return createSession(deps.db, {
    id: `s_${crypto.randomUUID().replace(/-/g, "")}`,
    tenantId: tenant,
    userId: input.externalUserId,
    now,
    expiresAt: sessionExpiry(deps, now),
  });
}

/** The passages the answer cites, in the order first cited. */
function citationsOf(answer: string, prepared: PreparedAnswer): Citation[] {
  const all = new Map<number, Citation>();
  for (const card of prepared.cards) for (const c of card.citations) all.set(c.ref, c);
  for (const p of prepared.passages) {
    if (!all.has(p.ref)) all.set(p.ref, { ref: p.ref, chunkId: p.chunkId, policyId: p.policyId, heading: p.heading, quote: clip(p.text, 160) });
  }
  return citedRefs(answer).flatMap((r) => (all.has(r) ? [all.get(r)!] : []));
}

/** The extractive answer goes out sentence by sentence, like a model's. */
async function streamText(text: string, sink: ChatSink) {
  const buffer = new SentenceBuffer();
  for (const s of [...buffer.push(text), ...buffer.flush()]) await sink.token(s);
}
