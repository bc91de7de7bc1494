import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as OpenCC from "opencc-js/cn2t";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { searchPolicies } from "../../src/retrieval/search.js";
import { normalizeText } from "../../src/understand/normalize.js";
import { FIXTURE_CORPUS } from "../helpers/corpus.js";
import { testDatabases } from "../helpers/databases.js";
import { testDeps } from "../helpers/deps.js";

/** How a user in Taiwan or Hong Kong would write the question: traditional characters and local phrasing. */
const toTraditional = OpenCC.Converter({ from: "cn", to: "twp" });

/** Questions about the fixture policies: the plain question, the same with one typo, and an English one for some. */
const QUESTIONS: Array<{ policy: string; plain: string; typo: string; english?: string }> = [
  {
    policy: "bj_028",
    plain: "北京的人工智能企业能申请算力券吗？",
    typo: "北京的人工职能企业能申请算力券吗？",
    english: "Can an AI company in Beijing get a computing power voucher?",
  },
  {
    policy: "bj_062",
    plain: "小微企业和创业团队怎么申请首都科技创新券？",
    typo: "小微企业和创业团队怎么申请首都科技创心券？",
    english: "How do small businesses and startup teams apply for the Capital innovation voucher?",
  },
  {
    policy: "bj_057",
    plain: "技术先进型服务企业认定需要满足什么条件？",
    typo: "技术先进性服务企业认定需要满足什么条件？",
    english: "What are the requirements for advanced technology service enterprise certification in Beijing?",
  },
  { policy: "bj_049", plain: "中关村企业做知识产权质押融资，有没有风险补偿？", typo: "中关村企业做知识产权质押融资，有没有风险补尝？" },
  { policy: "bj_052", plain: "中关村高新技术企业开展并购重组有什么资金支持？", typo: "中关村高心技术企业开展并购重组有什么资金支持？" },
  { policy: "gz_04", plain: "广州的高校毕业生创业补贴怎么领？", typo: "广州的高校毕业生创业补帖怎么领？" },
  { policy: "bj_046", plain: "投资机构在中关村开展天使投资有补贴吗？", typo: "投资机构在中关村开展天使投姿有补贴吗？" },
];

const top = async (deps: Deps, question: string) => (await searchPolicies(deps, normalizeText(question), { limit: 3 }))[0]?.policyId;

describe.each(testDatabases())("normalised questions on the fixture corpus ($name)", (database) => {
  let deps: Deps;

  beforeAll(async () => {
    deps = await testDeps(await database.open());
    const files = readdirSync(FIXTURE_CORPUS).filter((f) => f.endsWith(".md") && f !== "README.md");
    const summary = await ingestPaths(
      deps,
      files.map((f) => fileURLToPath(new URL(f, FIXTURE_CORPUS))),
    );
    expect(summary.failed).toBe(0);
  }, 120_000);
  afterAll(() => deps?.db.close());

  it.each(QUESTIONS)("finds $policy for the plain question: $plain", async ({ policy, plain }) => {
    expect(await top(deps, plain)).toBe(policy);
  });

  it.each(QUESTIONS)("finds the same policy when $policy's question is written in traditional characters", async ({ policy, plain }) => {
    const traditional = toTraditional(plain);
    expect(traditional).not.toBe(plain);
    expect(normalizeText(traditional)).toBe(normalizeText(plain));
    expect(await top(deps, traditional)).toBe(policy);
  });

  it.each(QUESTIONS)("finds the same policy when $policy's question has a typo: $typo", async ({ policy, plain, typo }) => {
    expect(normalizeText(typo)).toBe(plain);
    expect(await top(deps, typo)).toBe(policy);
  });

  it.each(QUESTIONS.filter((q) => q.english))("finds the same policy when $policy's question is asked in English: $english", async ({ policy, english }) => {
    expect(await top(deps, english!)).toBe(policy);
  });
});
