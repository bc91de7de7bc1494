import type { CompanyProfile } from "../policies/profile.js";
import { generateCompanies } from "./companies.js";
import type { LoadRequest } from "./http.js";
import { type Latency, summarize } from "./stats.js";

type Question = { question: string; profile?: CompanyProfile };

/**
 * How a crowd of companies opens the same questions: each opener states one fact of its own, and its figure
 * is the request's ordinal, so no two of `n` questions share a text (the answer cache and every layer below
 * it see each one for the first time) while each still reads as a question a company could send.
 */
const OPENERS: Array<(i: number) => string> = [
  (i) => `我们公司有${20 + i}名员工，`,
  (i) => `我们去年营收${300 + i}万元，`,
  (i) => `我们去年研发投入${50 + i}万元，`,
  (i) => `你好，我们是一家成立${1 + (i % 20)}年、有${10 + i}人的科技企业，`,
  (i) => `请问（咨询编号${100_000 + i}）：`,
];

export function distinctQuestions(questions: Question[], n: number): Question[] {
  return Array.from({ length: n }, (_, i) => {
    const q = questions[i % questions.length];
    return { ...q, question: OPENERS[i % OPENERS.length](i) + q.question };
  });
}

/** `n` generated companies (src/bench/companies.ts): every profile distinct, by its name and most of its figures. */
export function distinctCompanies(n: number): CompanyProfile[] {
  return generateCompanies(n, 20261202).map((c) => c.profile);
}

export const postJson = (path: string, body: unknown, headers: Record<string, string> = {}): LoadRequest => ({
  method: "POST",
  path,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export type HealthFigures = Latency & { failures: number };

/**
 * `GET /health` asked one at a time, a new probe `everyMs` after the last answer, until stopped: what a
 * load balancer's liveness probe sees while the server is loaded. A probe that fails or answers other
 * than 200 counts as a failure.
 */
export function probeHealth(url: string, everyMs = 50): { stop: () => Promise<HealthFigures> } {
  const ms: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      ms.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { ...summarize(ms), failures };
    },
  };
}
