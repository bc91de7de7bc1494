import type { Deps } from "../deps.js";
import { appendTurn, createSession, deleteExpiredSessions, findSession, recentTurns, type SessionRecord } from "../db/session-store.js";
import { OPEN_TENANT } from "../access/keys.js";
import { AppError } from "../lib/errors.js";
import { mergeProfiles, profileFromQuestion, type CompanyProfile } from "../policies/profile.js";
import { getCompany, saveCompany, type SavedCompany } from "../companies/store.js";
import { extractiveAnswer, prepareAnswer, profileForTurn, type ChatRequest, type PreparedAnswer } from "./answer.js";
import { clip, type Citation, type PolicyCard } from "./extractive.js";
import { ClientGone, generateAnswer, ModelBudget, ModelFailure, rewriteQuestion, withOneRetry, type FallbackReason, type Turn } from "./grounded.js";
import { citedRefs, SentenceBuffer } from "./grounding.js";
import { todayInChina } from "../lib/china-time.js";

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
/** 「那申报条件呢？」「它的截止时间」: too short or pointing back to stand alone. */
const FOLLOW_UP = /^(那|那么|这个|这项|该|它|其|上述|还有|另外|此外)|(呢|吗)[？?]?$/;

type ChatDeps = Pick<Deps, "db" | "embedder" | "analyzer" | "clock" | "logger" | "chat" | "sessions">;

export async function chat(
  deps: ChatDeps, input: ChatInput, options: { sink?: ChatSink; signal?: AbortSignal; session?: SessionRecord | null } = {},
): Promise<ChatResult> {
  const now = deps.clock.now();
  // A streaming route opens the session before its stream starts, so an unknown session is still a plain 404.
  const session = options.session === undefined ? await openSession(deps, input, now) : (options.session ?? undefined);
  const history: Turn[] =
    input.history ?? (session ? (await recentTurns(deps.db, session.id, HISTORY_TURNS)).map((t) => ({ question: t.question, answer: t.answer })) : []);
  const company = input.companyId ? await getCompany(deps.db, input.tenantId ?? OPEN_TENANT, input.companyId) : undefined;
  if (input.companyId && !company) throw new AppError("not_found", `companyId: 没有这家企业：${input.companyId}`);
  // The saved profile is what we already know, like a conversation's: what the question states wins over it.
  const known = company ? mergeProfiles(session?.profile as CompanyProfile | undefined, company.profile) : (session?.profile as CompanyProfile | undefined);
  const today = todayInChina(deps.clock);
  let profile = profileForTurn(input.question, input.profile, known, today);

  const budget = deps.chat ? new ModelBudget(deps.chat.timeoutMs, options.signal) : undefined;
  try {
    let searchQuery = history.length && isFollowUp(input.question) ? `${history.at(-1)!.question} ${input.question}` : undefined;
    let fallback: ChatResult["fallback"];
    let companyFacts: string[] = [];
    if (deps.chat && budget && deps.chat.rewrite) {
      try {
        // The rewrite may use a third of the deadline; the answer needs the rest.
        const rewrite = await rewriteQuestion(deps.chat, input.question, history, budget.share(1 / 3));
        searchQuery = rewrite.query;
        companyFacts = rewrite.companyFacts;
      } catch (err) {
        const failure = budget.classify(err);
        if (failure instanceof ClientGone) throw failure;
        // Retrieval can do without the rewrite; the answer still gets its chance.
        deps.logger.warn("query rewrite failed; searching with the question as asked", { reason: failure.reason, message: failure.message });
      }
      if (companyFacts.length) {
        profile = profileForTurn(input.question, { ...(profile ?? {}), facts: [...(profile?.facts ?? []), ...companyFacts] }, undefined, today);
      }
    }

    const prepared = await prepareAnswer(deps, { ...input, profile, searchQuery });
    const head = { policies: prepared.cards, ...(profile ? { profile } : {}), followUpQuestions: prepared.followUpQuestions, ...(session ? { sessionId: session.id } : {}) };
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
              { question: input.question, passages: prepared.passages, cards: prepared.cards, companyFacts: profile?.facts ?? [], history },
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
    };
    if (session) {
      await appendTurn(deps.db, session.id, { question: input.question, answer, policyIds: prepared.cards.map((c) => c.id), mode }, profile ?? {}, now, sessionExpiry(deps, now));
    }
    if (company?.chatUpdates) await rememberStatedFacts(deps, input, company, companyFacts, now);
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
async function rememberStatedFacts(deps: Pick<Deps, "db" | "clock">, input: ChatInput, company: SavedCompany, companyFacts: string[], now: Date) {
  const stated = mergeProfiles(profileFromQuestion(input.question, { today: todayInChina(deps.clock) }), companyFacts.length ? { facts: companyFacts } : {});
  if (Object.keys(stated).length === 0) return;
  await saveCompany(deps.db, input.tenantId ?? OPEN_TENANT, company.externalId, { profile: (current) => mergeProfiles(stated, current), source: "chat" }, now);
}

/** A session lives SESSION_TTL_HOURS past its last turn. */
const sessionExpiry = (deps: Pick<Deps, "sessions">, now: Date) => new Date(now.getTime() + deps.sessions.ttlHours * 3_600_000);

function isFollowUp(question: string): boolean {
  return question.length <= 12 || FOLLOW_UP.test(question.trim());
}

export async function openSession(deps: Pick<Deps, "db" | "sessions">, input: Pick<ChatInput, "sessionId" | "externalUserId" | "tenantId" | "conversationScope">, now: Date): Promise<SessionRecord | undefined> {
  if (!input.sessionId && !input.externalUserId) return undefined;
  const tenant = input.conversationScope ?? input.tenantId ?? OPEN_TENANT;
  if (input.sessionId) {
    const found = await findSession(deps.db, tenant, { id: input.sessionId }, now);
    // Another user's session is as absent as an expired one.
    if (!found || (input.externalUserId && found.userId !== input.externalUserId)) throw new AppError("not_found", "sessionId: 会话不存在或已过期，请不带 sessionId 重新开始");
    return found;
  }
  const live = await findSession(deps.db, tenant, { userId: input.externalUserId }, now);
  if (live) return live;
  // A new conversation is the moment to forget the expired ones.
  await deleteExpiredSessions(deps.db, now);
  return createSession(deps.db, { id: `s_${crypto.randomUUID().replace(/-/g, "")}`, tenantId: tenant, userId: input.externalUserId, now, expiresAt: sessionExpiry(deps, now) });
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
