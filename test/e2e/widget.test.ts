/// <reference lib="dom" />
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDb } from "../../src/db/index.js";
import type { Deps } from "../../src/deps.js";
import { ingestPaths } from "../../src/ingest/ingest.js";
import { widgetAsset } from "../../src/widget/asset-node.js";
import { testDeps } from "../helpers/deps.js";

const DEMO = new URL("../../data/policies/", import.meta.url).pathname;
const ARTIFACTS = new URL("../../test-results/", import.meta.url).pathname;
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
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
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
    await card.evaluate((el) => el.scrollIntoView({ block: "start" }));
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
    // A follow-up quick reply continues the same conversation.
    const replies = page.locator(".msg.assistant").last().locator(".reply");
    if ((await replies.count()) > 0) {
      await replies.first().click();
      await expect.poll(() => page.locator(".msg.user").count(), { timeout: 20_000 }).toBe(2);
    }
    // "新对话" starts afresh.
    await page.getByRole("button", { name: "新对话" }).click();
    expect(await page.locator(".msg").count()).toBe(0);
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
    const focused = () => page.evaluate(() => document.querySelector("#policy-match-widget")!.shadowRoot!.activeElement?.getAttribute("aria-label") ?? document.querySelector("#policy-match-widget")!.shadowRoot!.activeElement?.id);
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
    await page.locator(".msg.assistant .card").first().evaluate((el) => el.scrollIntoView({ block: "start" }));
    const input = await page.getByRole("textbox", { name: "输入问题" }).boundingBox();
    expect(input!.y + input!.height).toBeLessThanOrEqual(740);
    await page.screenshot({ path: `${ARTIFACTS}widget-phone.png` });

    // The same page with a bad key: the error is said in words, nothing breaks.
    await page.route("**/v1/chat", (route) => route.fulfill({ status: 401, contentType: "application/json", body: JSON.stringify({ error: { code: "unauthorized", message: "API key 无效或已吊销", requestId: "r" } }) }));
    await page.getByRole("textbox", { name: "输入问题" }).fill("再问一次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/API key 无效/);
    await page.route("**/v1/chat", (route) => route.fulfill({ status: 429, headers: { "retry-after": "42" }, contentType: "application/json", body: JSON.stringify({ error: { code: "rate_limited", message: "x", requestId: "r" } }) }));
    await page.getByRole("textbox", { name: "输入问题" }).fill("第三次");
    await page.getByRole("textbox", { name: "输入问题" }).press("Enter");
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/42 秒后再试/);
    // The model was down: the extractive answer comes with a notice.
    const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    await page.route("**/v1/chat", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/event-stream",
        body: sse("policies", { policies: [], followUpQuestions: [] }) + sse("token", { text: "根据政策库检索…" }) + sse("citations", { citations: [] }) +
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
});
