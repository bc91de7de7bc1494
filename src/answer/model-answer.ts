import { StringOutputParser } from "@langchain/core/output_parsers";
import { z } from "zod";
import type { Logger } from "../lib/logger.js";
import { retryAfterMs } from "../lib/retry-after.js";
import type { ChatClient } from "../llm/chat-model.js";
import { amountClause, eligibilityLine, type PolicyCard, windowWords } from "./extractive.js";
import { checkSentence, citedRefs, type DropReason, groundingOf, NO_ANSWER_WORDS, type Passage, SentenceBuffer } from "./grounding.js";
import { policiesReferred } from "./verdict-claims.js";

/** Why an answer fell back to the extractive one. */
export type FallbackReason = "timeout" | "rate_limited" | "upstream_error" | "invalid_response" | "no_citations";

export class ModelFailure extends Error {
  constructor(
    readonly reason: FallbackReason,
    message: string,
    /** Worth one more try within the deadline. */
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The client went away: stop, and answer nobody. */
export class ClientGone extends Error {}

export type Turn = { question: string; answer: string };

/**
 * One answer's time with the model: a deadline for all its calls, retries
 * included, tied to the client's own signal so a client that leaves stops
 * the upstream request too.
 */
export class ModelBudget {
  private readonly deadline = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly endsAt: number;
  readonly signal: AbortSignal;

  constructor(
    private readonly timeoutMs: number,
    private readonly client?: AbortSignal,
  ) {
    this.endsAt = Date.now() + timeoutMs;
    this.timer = setTimeout(() => this.deadline.abort(new Error("deadline")), timeoutMs);
    this.signal = client ? AbortSignal.any([this.deadline.signal, client]) : this.deadline.signal;
  }

  get remainingMs() {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** A signal for a step that may use only part of what is left. */
  share(fraction: number): AbortSignal {
    return AbortSignal.any([this.signal, AbortSignal.timeout(Math.max(1, Math.floor(this.remainingMs * fraction)))]);
  }

  /** Turns whatever a call threw into why the answer falls back. */
  classify(err: unknown): ModelFailure | ClientGone {
    if (this.client?.aborted) return new ClientGone("client disconnected");
    if (err instanceof ModelFailure) return err;
    const e = err as { status?: number; name?: string; message?: string; headers?: Record<string, string> | Headers };
    const message = e?.message ?? String(err);
    if (this.deadline.signal.aborted || /timed? ?out|timeout/i.test(`${e?.name} ${message}`)) {
      return new ModelFailure("timeout", `模型未在 ${this.timeoutMs / 1000} 秒内完成回答`, false);
    }
    if (/abort/i.test(`${e?.name} ${message}`)) return new ModelFailure("timeout", "模型调用被中止（超出本步时限）", false);
    if (e?.status === 429) return new ModelFailure("rate_limited", "模型服务限流（429）", true, retryAfterMs(e.headers));
    if (typeof e?.status === "number") return new ModelFailure("upstream_error", `模型服务返回 ${e.status}`, e.status >= 500);
    if (/connect|ECONNREFUSED|ECONNRESET|socket|network|fetch failed/i.test(message)) {
      return new ModelFailure("upstream_error", `无法连接模型服务：${message.slice(0, 120)}`, true);
    }
    return new ModelFailure("invalid_response", `模型返回内容无法解析：${message.slice(0, 120)}`, true);
  }

  dispose() {
    clearTimeout(this.timer);
  }
}

/** Runs `attempt` and, when the failure is worth it and the deadline allows, once more. */
export async function withOneRetry<T>(
  budget: ModelBudget,
  attempt: () => Promise<T>,
  hooks: { logger?: Logger; beforeRetry?: (failure: ModelFailure) => Promise<void> } = {},
): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    const failure = budget.classify(err);
    if (failure instanceof ClientGone) throw failure;
    const wait = Math.min(failure.retryAfterMs ?? 250, 2000);
    // A retry needs time to wait and to answer; without it, fall back now.
    if (!failure.retryable || budget.remainingMs < wait + 1000) throw failure;
    hooks.logger?.warn("model call failed, retrying once", { reason: failure.reason, message: failure.message });
    await hooks.beforeRetry?.(failure);
    await new Promise((r) => setTimeout(r, wait));
    try {
      return await attempt();
    } catch (again) {
      throw budget.classify(again);
    }
  }
}

const RewriteSchema = z.object({
  query: z.string().describe("一句完整、独立的中文检索语句"),
  companyFacts: z.array(z.string()).describe("用户关于自己企业陈述的事实，每条一句"),
});
export type Rewrite = z.infer<typeof RewriteSchema>;

/**
 * The question as a standalone search query, and what it says about the
 * company. The model's output is checked by zod; a query that shares nothing
 * with what the user wrote is not trusted.
 */
export async function rewriteQuestion(chat: ChatClient, question: string, history: Turn[], signal: AbortSignal): Promise<Rewrite> {
  const structured = chat.model.withStructuredOutput(RewriteSchema, { method: chat.structuredMethod, name: "search_query" });
  const raw = await chat.prompts.rewrite.template.pipe(structured).invoke({ question: asData(question), history: historyText(history) }, { signal });
  const parsed = RewriteSchema.safeParse(raw);
  if (!parsed.success) throw new ModelFailure("invalid_response", "改写结果不符合约定格式", true);
  const query = parsed.data.query.trim().slice(0, 500);
  const said = question + history.map((t) => t.question).join("");
  const shared = [...new Set(query)].filter((ch) => /[\u4e00-\u9fff\w]/.test(ch) && said.includes(ch)).length;
  return {
    query: query && shared >= Math.min(4, [...new Set(query)].length) ? query : question,
    companyFacts: parsed.data.companyFacts
      .map((f) => f.trim().slice(0, 200))
      .filter(Boolean)
      .slice(0, 10),
  };
}

export type GeneratedAnswer = { answer: string; citedRefs: number[]; droppedSentences: number; dropped: Partial<Record<DropReason, number>> };

/**
 * The model's answer, checked sentence by sentence as it streams: citations
 * only to the passages given, no policy that was not retrieved, no claim that
 * the company qualifies against the engine's verdict, nothing that looks like
 * a credential. `onText` receives only text that will stand: each sentence
 * once it has passed the checks, and the first ones only once the answer
 * cites a passage (an answer that cites nothing is not used, so until it
 * cites, what it says is held back). A model failure after text went out is
 * then the only reason to withdraw it, and what was withdrawn was checked.
 */
export async function generateAnswer(
  chat: ChatClient,
  input: { question: string; passages: Passage[]; cards: PolicyCard[]; companyFacts: string[]; history: Turn[] },
  options: { signal: AbortSignal; stream: boolean; onText?: (text: string) => Promise<void> | void },
): Promise<GeneratedAnswer> {
  const grounding = groundingOf(input.passages, input.cards);
  const chain = chat.prompts.answer.template.pipe(chat.model).pipe(new StringOutputParser());
  const vars = {
    passages: passagesText(input.passages),
    company: companyText(input.cards, input.companyFacts),
    facts: factsText(input.cards),
    history: historyText(input.history),
    question: asData(input.question),
  };
  const buffer = new SentenceBuffer();
  let answer = "";
  const dropped: GeneratedAnswer["dropped"] = {};
  let context: string[] = [];
  let held: string[] | undefined = [];
  const release = async () => {
    for (const t of held ?? []) await options.onText?.(t);
    held = undefined;
  };
  const emit = async (sentences: string[]) => {
    for (const s of sentences) {
      const checked = checkSentence(s, grounding, context);
      const about = policiesReferred(s, grounding.verdicts);
      if (about.length) context = about;
      if (checked.dropped) {
        dropped[checked.dropped] = (dropped[checked.dropped] ?? 0) + 1;
        continue;
      }
      if (!checked.text) continue;
      answer += checked.text;
      if (held) {
        held.push(checked.text);
        if (citedRefs(answer).length) await release();
      } else await options.onText?.(checked.text);
    }
  };
  if (options.stream) {
    for await (const token of await chain.stream(vars, { signal: options.signal })) {
      if (typeof token !== "string") throw new ModelFailure("invalid_response", "模型流式返回了非文本内容", true);
      await emit(buffer.push(token));
    }
  } else {
    const text = await chain.invoke(vars, { signal: options.signal });
    if (typeof text !== "string") throw new ModelFailure("invalid_response", "模型返回了非文本内容", true);
    await emit(buffer.push(text));
  }
  await emit(buffer.flush());
  answer = answer.trim();
  const refs = citedRefs(answer);
  const droppedSentences = Object.values(dropped).reduce((a, b) => a + b, 0);
  if (!answer && droppedSentences) throw new ModelFailure("no_citations", `模型的回答没有可用的句子（${dropReasonWords(dropped)}）`, true);
  if (!answer) throw new ModelFailure("invalid_response", "模型返回了空回答", true);
  // An answer that says the passages do not answer needs no citation; any other answer cites.
  if (refs.length === 0 && !NO_ANSWER_WORDS.test(answer)) throw new ModelFailure("no_citations", "模型的回答没有引用任何政策片段", true);
  await release();
  return { answer, citedRefs: refs, droppedSentences, dropped };
}

const DROP_WORDS: Record<DropReason, string> = {
  unknown_policy: "提到了未检索到的政策",
  verdict_claim: "与系统核查的申报结论不符",
  secret: "含有疑似密钥的内容",
};
const dropReasonWords = (dropped: GeneratedAnswer["dropped"]) => (Object.keys(dropped) as DropReason[]).map((r) => DROP_WORDS[r]).join("、");

/**
 * Text that goes into the prompt as data: it cannot close or open the prompt's
 * own sections, so a document or a question cannot pose as instructions.
 */
export function asData(text: string): string {
  return text.replace(/</g, "＜").replace(/>/g, "＞");
}

export function passagesText(passages: Passage[]): string {
  return passages.map((p) => `[${p.ref}] 《${asData(p.title)}》${p.heading ? ` ${asData(p.heading)}` : ""}\n${asData(p.text)}`).join("\n\n");
}

function companyText(cards: PolicyCard[], facts: string[]): string {
  const lines = facts.length ? [`企业自述：${facts.map(asData).join("；")}`] : ["企业未提供自身信息。"];
  for (const c of cards) if (c.eligibility) lines.push(`《${asData(c.title)}》系统核查：${asData(eligibilityLine(c.eligibility))}`);
  return lines.join("\n");
}

/**
 * What the service has already decided per policy, as data the model must not
 * contradict: the company's verdict, the sum the text offers and where the
 * application window stands.
 */
export function factsText(cards: PolicyCard[]): string {
  return cards
    .map((c) => {
      const verdict = c.eligibility ? eligibilityLine(c.eligibility) : "未判定（企业信息不足或未提供）";
      const amount = amountClause(c, []) || "原文未写明具体金额";
      const window = windowWords(c.deadline) || "原文未写明本期申报时间";
      return `《${asData(c.title)}》\n- 申报结论：${asData(verdict)}\n- 支持金额：${asData(amount)}\n- 申报时间：${asData(window)}`;
    })
    .join("\n");
}

export function historyText(history: Turn[]): string {
  return history.map((t) => `用户：${asData(t.question)}\n助手：${asData(t.answer.slice(0, 300))}`).join("\n");
}
