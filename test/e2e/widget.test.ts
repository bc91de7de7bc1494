/// <reference lib="dom" />

import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDb } from "../../src/db/index.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { exampleQuestions } from "../../src/understand/smalltalk.js";
import { widgetAsset } from "../../src/widget/asset-node.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
// Screenshots go to test-results/ on every run; UPDATE_SCREENSHOTS=1 writes the README's (docs/) instead.
const ARTIFACTS = new URL(process.env.UPDATE_SCREENSHOTS ? "../../docs/" : "../../test-results/", import.meta.url).pathname;
const QUESTION = "我们是武汉的高新技术企业，去年营收3000万，认定后有什么奖励？";

// A host page that does its worst to the widget's looks.
const HOSTILE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>* { all: unset; } html, body { font-size: 48px !important; } div { display: none; } button { visibility: hidden; } body * { color: red; }</style></head>
<body><p>一个样式很糟糕的网站</p><script src="/widget.js" data-title="政策助手" data-primary-color="#0f766e" async></script></body></html>`;

describe("the chat widget in headless Chromium", () => {
  let deps: Deps;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    deps = await testDeps(await openDb({ dataDir: "memory://" }));
    expect((await ingestPaths(deps, [DEMO])).failed).toBe(0);
    const site = new Hono().get("/hostile", (c) => c.html(HOSTILE)).route("/", createApp(deps));
    server = serve({ fetch: site.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await deps?.db.close();
  });

  async function askOn(page: Page, question: string) {
    await page.getByRole("button", { name: /打开科技政策助手|打开政策助手/ }).click();
    const box = page.getByRole("textbox", { name: "输入问题" });
    await expect.poll(() => box.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await box.fill(question);
    await box.press("Enter");
  }

  it("is one small script, served with caching headers", async () => {
    const res = await fetch(`${base}/widget.js`);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = res.headers.get("etag")!;
    expect((await fetch(`${base}/widget.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect(gzipSync(widgetAsset().js).length).toBeLessThan(30 * 1024);
  });

  it("answers on the demo page: streamed text, then policy cards with a checklist; the conversation survives a reload", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(base);
    await askOn(page, QUESTION);
    const answer = page.locator(".msg.assistant").last();
    // The first card arrives with the policies event, before the text is complete.
    await expect.poll(() => answer.locator(".card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => answer.locator(".text").innerText(), { timeout: 20_000 }).toMatch(/高新技术企业/);
    const card = answer.locator(".card").first();
    expect(await card.locator("h3").innerText()).toMatch(/高新技术企业/);
    expect(await card.locator(".badge").innerText()).toMatch(/可申报|需补充信息|不符合/);
    expect(await card.locator(".checklist li").count()).toBeGreaterThan(1);
    expect(await card.locator(".checklist .mk").allInnerTexts()).toEqual(expect.arrayContaining(["✓"]));
    await page
      .locator(".msg.user")
      .last()
      .evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: `${ARTIFACTS}widget-desktop.png` });
    // A citation opens its passage.
    await answer.locator(".ref").first().click();
    expect(await answer.locator(".quote").innerText()).toMatch(/出处 \d+/);

    await page.reload();
    await page.getByRole("button", { name: "打开科技政策助手" }).click();
    expect(await page.locator(".msg.user").first().innerText()).toBe(QUESTION);
    expect(await page.locator(".msg.assistant .card").count()).toBeGreaterThan(0);
    const stored = await page.evaluate(() => Object.values(localStorage).map((v) => JSON.parse(String(v)) as { sessionId?: string })[0]);
    expect(stored.sessionId).toMatch(/^s_/);
    // A follow-up quick reply that is a question of the user's own continues the same conversation.
    const replies = page.locator(".msg.assistant").last().locator(".reply:not(.fill)");
    if ((await replies.count()) > 0) {
      await replies.first().click();
      await expect.poll(() => page.locator(".msg.user").count(), { timeout: 20_000 }).toBe(2);
    }
    // "新对话" starts afresh, with the welcome again.
    await page.getByRole("button", { name: "新对话" }).click();
    expect(await page.locator(".msg.user").count()).toBe(0);
    expect(await page.locator(".msg.assistant:not(.welcome)").count()).toBe(0);
    expect(await page.locator(".welcome .reply").allInnerTexts()).toEqual([...exampleQuestions]);
    await context.close();
  });

  it("shows on the card what the support comes to when the question gives the base", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(base);
    await askOn(page, "我们在武汉，2025年研发费用1500万元，2024年是1100万元，研发投入奖励能拿多少？");
    const card = page.locator(".msg.assistant").last().locator(".card").first();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => card.locator(".estimate").innerText(), { timeout: 20_000 }).toMatch(/估算可获 约40万元（研发费用增量400万元 × 10%/);
    await context.close();
  });

  it("keeps its looks and works on a page with hostile CSS", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${base}/hostile`);
    const fab = page.getByRole("button", { name: "打开政策助手" });
    const box = await fab.boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(50);
    expect(box!.width).toBeLessThanOrEqual(64);
    await askOn(page, "科技保险保费补贴最高多少？");
    const answer = page.locator(".msg.assistant").last();
    await expect.poll(() => answer.locator(".card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const fontSize = await answer.locator(".text").evaluate((el) => getComputedStyle(el).fontSize);
    expect(fontSize).toBe("14px");
    expect(await page.locator(".panel").evaluate((el) => getComputedStyle(el).display)).toBe("flex");
    await page.close();
  });

  it("works from the keyboard: Enter opens, focus goes to the input, Esc closes and focus returns", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const fab = page.getByRole("button", { name: "打开科技政策助手" });
    await fab.focus();
    await page.keyboard.press("Enter");
    expect(await fab.getAttribute("aria-expanded")).toBe("true");
    expect(await page.getByRole("dialog", { name: "科技政策助手" }).isVisible()).toBe(true);
    const focused = () =>
      page.evaluate(
        () =>
          document.querySelector("#policy-match-widget")!.shadowRoot!.activeElement?.getAttribute("aria-label") ??
          document.querySelector("#policy-match-widget")!.shadowRoot!.activeElement?.id,
      );
    await expect.poll(focused).toBe("pm-q");
    await page.keyboard.press("Escape");
    expect(await page.getByRole("dialog", { name: "科技政策助手" }).isVisible()).toBe(false);
    expect(await focused()).toBe("打开科技政策助手");
    await page.close();
  });

  it("takes a profile from the form and questions from its JS API, and checks conditions against that profile", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(base);
    await page.getByRole("button", { name: "打开科技政策助手" }).click();
    await page.getByRole("button", { name: "完善企业信息" }).click();
    await page.getByLabel("所在城市/区").fill("武汉市洪山区");
    await page.getByLabel("上年营业收入（万元）").fill("3000");
    await page.getByLabel("上年研发费用（万元）").fill("260");
    await page.getByLabel("高新技术企业").check();
    await page.getByRole("button", { name: "保存" }).click();
    expect(await page.getByRole("status").innerText()).toMatch(/企业信息已保存/);
    await page.evaluate(() => (window as unknown as { PolicyMatch: { ask(q: string): void } }).PolicyMatch.ask("高新技术企业认定奖励有哪些？"));
    const card = page.locator(".msg.assistant").last().locator(".card").filter({ hasText: "高新技术企业认定奖励" }).first();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    const reasons = (await card.locator(".checklist small").allInnerTexts()).join("\n");
    expect(reasons).toMatch(/研发费用.*260|260.*研发费用/);
    expect(reasons).toMatch(/武汉市/);
    await page.close();
  });

  it("fits a 360 px phone and says clearly when the key is refused, the rate is exceeded, the model is down or the network is gone", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(base);
    await askOn(page, "武汉的高新技术企业认定后有什么奖励？");
    const panel = page.locator(".panel");
    const box = await panel.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(360);
    expect(box!.x).toBeGreaterThanOrEqual(0);
    await expect.poll(() => page.locator(".msg.assistant .card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page
      .locator(".msg.assistant .card")
      .first()
      .evaluate((el) => el.scrollIntoView({ block: "start" }));
    const input = await page.getByRole("textbox", { name: "输入问题" }).boundingBox();
    expect(input!.y + input!.height).toBeLessThanOrEqual(740);

    // The same page with a bad key: the error is said in words, nothing breaks.
    await page.route("**/v1/chat", (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "unauthorized", message: "API key 无效或已吊销", requestId: "r" } }),
      }),
    );
    await page.getByRole("textbox", { name: "输入问题" }).fill("再问一次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/API key 无效/);
    await page.route("**/v1/chat", (route) =>
      route.fulfill({
        status: 429,
        headers: { "retry-after": "42" },
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "rate_limited", message: "x", requestId: "r" } }),
      }),
    );
    await page.getByRole("textbox", { name: "输入问题" }).fill("第三次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/42 秒后再试/);
    // The model was down: the extractive answer comes with a notice.
    const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    await page.route("**/v1/chat", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/event-stream",
        body:
          sse("policies", { policies: [], followUpQuestions: [] }) +
          sse("token", { text: "根据政策库检索…" }) +
          sse("citations", { citations: [] }) +
          sse("done", { answer: "根据政策库检索…", mode: "extractive", degraded: true, fallback: { reason: "timeout", message: "模型未在 20 秒内完成回答" } }),
      }),
    );
    await page.getByRole("textbox", { name: "输入问题" }).fill("第四次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.locator(".msg.assistant .notice").last().innerText()).toMatch(/智能回答暂不可用/);
    // Offline.
    await context.setOffline(true);
    await page.unroute("**/v1/chat");
    await page.getByRole("textbox", { name: "输入问题" }).fill("第五次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/网络连接失败/);
    await context.close();
  });
  const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  const policyCard = (id: string, title: string, verdict: "eligible" | "needs_info") => ({
    id,
    title,
    issuer: "武汉市科学技术局",
    docNumber: "武科规〔2026〕3号",
    support: "一次性奖励30万元。",
    conditions: [],
    citations: [],
    deadline: { applyStart: "2026-03-01", applyEnd: "2026-12-31", state: "open", text: null },
    eligibility: {
      verdict,
      checklist: [
        { id: "c1", text: "注册在武汉市", status: "met", reason: "企业注册在武汉市，符合" },
        { id: "c2", text: "上一年度营业收入不低于500万元", status: "unknown", reason: "未知营业收入", question: "贵公司上一年度营业收入是多少（万元）？" },
      ],
      missing: [],
    },
  });
  /** A stand-in /v1/chat that streams one answer, counting the questions it is asked. */
  function cannedAnswer(answer: string, extra: { followUpQuestions?: string[]; understoodAs?: string; policies?: unknown[] } = {}) {
    const asked: string[] = [];
    const body =
      sse("policies", { policies: extra.policies ?? [], followUpQuestions: extra.followUpQuestions ?? [] }) +
      sse("token", { text: answer }) +
      sse("citations", { citations: [] }) +
      sse("done", { answer, plainText: answer, mode: "extractive", degraded: false, intent: "find", understoodAs: extra.understoodAs });
    return {
      asked,
      handler: (route: Parameters<Parameters<Page["route"]>[1]>[0]) => {
        asked.push((route.request().postDataJSON() as { question: string }).question);
        return route.fulfill({ status: 200, contentType: "text/event-stream", body });
      },
    };
  }

  it("welcomes an empty conversation with the service's three example questions, and a click asks one", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(base);
    await page.getByRole("button", { name: "打开科技政策助手" }).click();
    const welcome = page.locator(".msg.welcome");
    expect(await welcome.locator(".text").innerText()).toMatch(/您好！我是科技政策助手/);
    expect(await welcome.locator(".reply").allInnerTexts()).toEqual([...exampleQuestions]);
    await page.screenshot({ path: `${ARTIFACTS}widget-welcome.png` });
    await welcome.getByRole("button", { name: exampleQuestions[0] }).click();
    await expect.poll(() => page.locator(".msg.user").allInnerTexts()).toEqual([exampleQuestions[0]]);
    await expect.poll(() => page.locator(".msg.assistant .card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator(".msg.welcome").count()).toBe(0);
    // A greeting gets the same examples back as quick replies that ask them, not fill-ins.
    await page.getByRole("textbox", { name: "输入问题" }).fill("你好");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    const greeting = page.locator(".msg.assistant").last();
    await expect.poll(() => greeting.locator(".reply").allInnerTexts(), { timeout: 20_000 }).toEqual([...exampleQuestions]);
    expect(await greeting.locator(".reply.fill").count()).toBe(0);
    await page.close();
  });

  it("turns the service's question to the company into a reply to complete, never sends it as the user's message, and says how it read the question", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const canned = cannedAnswer("对首次通过认定的高新技术企业给予奖励。", {
      followUpQuestions: ["贵公司上一年度营业收入是多少（万元）？", "贵公司是否已获得高新技术企业认定？", "申报需要准备哪些材料？"],
      understoodAs: "武汉高新技术企业认定奖励",
    });
    await page.route("**/v1/chat", canned.handler);
    await page.goto(base);
    await askOn(page, "武汉高新企业认定奖励");
    const answer = page.locator(".msg.assistant").last();
    await expect.poll(() => answer.locator(".understood").innerText()).toBe("已按“武汉高新技术企业认定奖励”理解");
    const box = page.getByRole("textbox", { name: "输入问题" });
    const selection = () =>
      box.evaluate((el: HTMLTextAreaElement) => [
        el.value.slice(0, el.selectionStart),
        el.value.slice(el.selectionStart, el.selectionEnd),
        el.value.slice(el.selectionEnd),
      ]);

    await answer.getByRole("button", { name: "回答：贵公司上一年度营业收入是多少（万元）？" }).click();
    expect(await box.inputValue()).toBe("我们上一年度营业收入是  万元");
    expect(await selection()).toEqual(["我们上一年度营业收入是 ", "", " 万元"]);
    expect(canned.asked).toEqual(["武汉高新企业认定奖励"]);
    expect(await page.locator(".msg.user").count()).toBe(1);
    // A yes-or-no question selects the choice, so typing replaces it.
    await answer.getByRole("button", { name: "回答：贵公司是否已获得高新技术企业认定？" }).click();
    expect(await selection()).toEqual(["我们", "（已／未）", "获得高新技术企业认定"]);
    await answer.getByRole("button", { name: "回答：贵公司上一年度营业收入是多少（万元）？" }).click();
    await page.keyboard.type("3000");
    await box.press("Enter");
    await expect.poll(() => page.locator(".msg.user").allInnerTexts()).toEqual(["武汉高新企业认定奖励", "我们上一年度营业收入是 3000 万元"]);
    // The message is drawn before its request reaches the routed handler: wait for the request too.
    await expect.poll(() => canned.asked).toEqual(["武汉高新企业认定奖励", "我们上一年度营业收入是 3000 万元"]);
    // A question of the user's own is asked as it stands.
    await page.locator(".msg.assistant").last().getByRole("button", { name: "申报需要准备哪些材料？" }).click();
    await expect.poll(() => canned.asked.at(-1)).toBe("申报需要准备哪些材料？");
    expect(canned.asked.filter((q) => q.startsWith("贵公司"))).toEqual([]);
    await page.close();
  });

  for (const width of [360, 390, 768, 1280]) {
    it(`lays the profile form out inside the panel at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 740 } });
      await page.goto(base);
      await page.getByRole("button", { name: "打开科技政策助手" }).click();
      await page.getByRole("button", { name: "完善企业信息" }).click();
      const panel = (await page.locator(".panel").boundingBox())!;
      const form = page.getByRole("form", { name: "企业信息" });
      const formBox = (await form.boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(width);
      expect(formBox.x).toBeGreaterThanOrEqual(panel.x);
      expect(formBox.x + formBox.width).toBeLessThanOrEqual(panel.x + panel.width + 0.5);
      expect(await form.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      for (const field of await form.locator("input, button").all()) {
        await field.scrollIntoViewIfNeeded();
        const b = (await field.boundingBox())!;
        expect(b.x).toBeGreaterThanOrEqual(formBox.x);
        expect(b.x + b.width).toBeLessThanOrEqual(formBox.x + formBox.width + 0.5);
      }
      // The conversation and the input stay usable below the open form.
      const input = (await page.getByRole("textbox", { name: "输入问题" }).boundingBox())!;
      expect(input.y + input.height).toBeLessThanOrEqual(panel.y + panel.height + 0.5);
      if (width === 360) await page.screenshot({ path: `${ARTIFACTS}widget-profile-phone.png` });
      await page.close();
    });
  }

  it("fits a 390 × 844 phone: answers at most a screen tall with 展开全文, cards that fold, and a retry after a failure", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(base);
    // A real answer first: its text block and each card's open part stay within a screen.
    await askOn(page, QUESTION);
    const real = page.locator(".msg.assistant").last();
    await expect.poll(() => real.locator(".card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".msg.assistant .typing").count(), { timeout: 20_000 }).toBe(0);
    expect((await real.locator(".text").boundingBox())!.height).toBeLessThanOrEqual(844);
    await page
      .locator(".msg.user")
      .last()
      .evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: `${ARTIFACTS}widget-phone.png` });

    // A long answer folds to less than a screen, and 展开全文 shows it whole.
    const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}条：对首次通过认定的高新技术企业给予一次性奖励，具体标准以当年申报通知为准。`).join("\n");
    const canned = cannedAnswer(long, {
      policies: [policyCard("p1", "武汉市高新技术企业认定奖励实施细则", "needs_info"), policyCard("p2", "武汉市科技型中小企业研发投入补贴", "eligible")],
    });
    await page.route("**/v1/chat", canned.handler);
    await page.getByRole("textbox", { name: "输入问题" }).fill("奖励标准的全文是什么？");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    const answer = page.locator(".msg.assistant").last();
    const more = answer.getByRole("button", { name: "展开全文" });
    await expect.poll(() => more.isVisible()).toBe(true);
    const folded = (await answer.locator(".text").boundingBox())!.height;
    expect(folded).toBeLessThanOrEqual(844 * 0.6);
    await more.click();
    expect((await answer.locator(".text").boundingBox())!.height).toBeGreaterThan(folded * 2);
    await answer.getByRole("button", { name: "收起" }).click();
    expect((await answer.locator(".text").boundingBox())!.height).toBe(folded);
    // Cards fold to title, verdict and deadline: the first opens by itself, the others on a tap.
    const cards = answer.locator(".card");
    expect(await cards.evaluateAll((els) => els.map((el) => (el as HTMLDetailsElement).open))).toEqual([true, false]);
    expect(await cards.nth(1).locator(":scope > summary").innerText()).toMatch(/科技型中小企业研发投入补贴[\s\S]*可申报[\s\S]*截止 2026-12-31/);
    await cards.nth(1).locator(":scope > summary").click();
    expect(await cards.nth(1).evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await page.unroute("**/v1/chat");

    // A failure offers 重试, which asks the same question once more.
    let failures = 0;
    await page.route("**/v1/chat", (route) =>
      failures++ === 0
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "upstream_unavailable", message: "服务暂时不可用，请稍后再试。", requestId: "r" } }),
          })
        : route.fallback(),
    );
    const users = await page.locator(".msg.user").count();
    await page.getByRole("textbox", { name: "输入问题" }).fill("科技保险保费补贴最高多少？");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/服务暂时不可用/);
    await page.getByRole("status").getByRole("button", { name: "重试" }).click();
    await expect.poll(() => page.locator(".msg.assistant").last().locator(".card").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator(".msg.user").count()).toBe(users + 1);
    expect(await page.locator(".msg.user").last().innerText()).toBe("科技保险保费补贴最高多少？");
    expect(failures).toBe(2);
    await context.close();
  });
  it("renders the API reference at /docs from this server alone: operations with request and response schemas", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const elsewhere: string[] = [];
    page.on("request", (r) => void (/^(data|blob):/.test(r.url()) || r.url().startsWith(base) || elsewhere.push(r.url())));
    await page.goto(`${base}/docs`);
    const text = () => page.evaluate(() => document.body.textContent ?? "");
    await expect.poll(text, { timeout: 20_000 }).toContain("/v1/chat");
    await expect.poll(text).toContain("externalUserId");
    expect(await text()).toMatch(/Bearer/);
    expect(await text()).toMatch(/Responses/);
    expect(elsewhere).toEqual([]);
    await page.close();
  });
});
