/* policy-match chat widget: one <script> tag, everything inside a shadow root.
 * <script src="https://HOST/widget.js" data-api-key="pm_…" data-title="政策助手" data-primary-color="#1d4ed8" async></script>
 * window.PolicyMatch: open(), close(), ask(text), setProfile(profile), newConversation().
 * Shadow DOM rather than an iframe: the widget shares the page's origin for nothing but its own
 * storage, stays one request, and the host's CSS cannot reach inside it (nor ours leak out). */
(() => {
  if (window.PolicyMatch) return;
  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const data = (script && script.dataset) || {};
  const base = (data.apiBase || (script && new URL(script.src, location.href).origin) || location.origin).replace(/\/$/, "");
  const key = data.apiKey || "";
  const title = data.title || "科技政策助手";
  const color = /^#[0-9a-f]{3,8}$/i.test(data.primaryColor || "") ? data.primaryColor : "#1d4ed8";
  const store = `policy-match:${base}:${key.slice(0, 15)}`;
  // The greeting's examples (src/understand/smalltalk.ts), written here rather than fetched: the welcome
  // shows at once, offline too, and costs no request on the site's key. The e2e test keeps the two equal.
  const EXAMPLES = ["通过高新技术企业认定后，能拿到哪些奖励？", "研发费用加计扣除怎么享受，扣除比例是多少？", "申报专精特新中小企业需要满足什么条件？"];
  const WELCOME = "您好！我是科技政策助手，可以帮您查找适用的科技政策，讲清支持标准、申报条件和申报时间，并结合企业情况判断能否申请。您可以这样问：";

  const saved = load();
  const state = {
    visitor: saved.visitor || `v_${crypto.randomUUID ? crypto.randomUUID() : Math.random().toString(36).slice(2)}`,
    sessionId: saved.sessionId || null,
    profile: saved.profile || null,
    messages: Array.isArray(saved.messages) ? saved.messages : [],
    busy: false,
  };

  const host = document.createElement("div");
  host.id = "policy-match-widget";
  // Inline, so that page rules such as `* { all: unset }` cannot move or hide the host.
  host.setAttribute(
    "style",
    "all:initial !important;position:fixed !important;z-index:2147483000 !important;right:0 !important;bottom:0 !important;width:0 !important;height:0 !important;display:block !important;",
  );
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${css(color)}</style>
<button class="fab" type="button" aria-label="打开${esc(title)}" aria-expanded="false">${icon()}</button>
<section class="panel" role="dialog" aria-label="${esc(title)}" hidden>
  <header><h2>${esc(title)}</h2>
    <button type="button" class="ghost" data-act="profile" aria-expanded="false">完善企业信息</button>
    <button type="button" class="ghost" data-act="new">新对话</button>
    <button type="button" class="ghost close" data-act="close" aria-label="关闭">✕</button></header>
  <form class="profile" hidden aria-label="企业信息">
    <label>所在城市/区<input name="place" placeholder="如 武汉市洪山区"></label>
    <label>成立日期<input name="established" type="month"></label>
    <label>职工人数<input name="employees" type="number" min="0" inputmode="numeric"></label>
    <label>上年营业收入（万元）<input name="revenue" type="number" min="0" step="any"></label>
    <label>上年研发费用（万元）<input name="rdExpense" type="number" min="0" step="any"></label>
    <fieldset><legend>已有资质</legend>
      <label class="check"><input type="checkbox" name="q" value="高新技术企业">高新技术企业</label>
      <label class="check"><input type="checkbox" name="q" value="科技型中小企业">科技型中小企业</label>
      <label class="check"><input type="checkbox" name="q" value="专精特新中小企业">专精特新中小企业</label></fieldset>
    <div class="actions"><button type="submit" class="primary">保存</button><button type="button" class="ghost" data-act="cancel">取消</button></div></form>
  <div class="log" role="log" aria-live="polite" aria-label="对话"></div>
  <p class="status" role="status" hidden></p>
  <form class="ask"><label class="sr" for="pm-q">输入问题</label>
    <textarea id="pm-q" rows="1" maxlength="2000" placeholder="例如：武汉的高新技术企业有什么奖励？"></textarea>
    <button type="submit" class="primary" aria-label="发送">发送</button></form>
</section>`;
  const $ = (s) => root.querySelector(s);
  const fab = $(".fab"),
    panel = $(".panel"),
    log = $(".log"),
    status = $(".status"),
    input = $("textarea"),
    profileForm = $(".profile");

  fab.addEventListener("click", () => (panel.hidden ? open() : close()));
  panel.addEventListener("keydown", (e) => e.key === "Escape" && close());
  $("[data-act=close]").addEventListener("click", close);
  $("[data-act=new]").addEventListener("click", newConversation);
  const profileButton = $("[data-act=profile]");
  profileButton.addEventListener("click", () => showProfile(profileForm.hidden));
  $("[data-act=cancel]").addEventListener("click", () => showProfile(false));
  profileForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(profileForm);
    const num = (k) => (f.get(k) === "" || f.get(k) == null ? undefined : Number(f.get(k)));
    const place = String(f.get("place") || "").trim();
    const m = /^(.*?[市州盟])?(.*)$/.exec(place);
    setProfile({
      region: place ? { city: m[1] || undefined, district: m[2] || undefined } : undefined,
      established: f.get("established") || undefined,
      employees: num("employees"),
      revenue: num("revenue"),
      rdExpense: num("rdExpense"),
      qualifications: f.getAll("q").map(String),
    });
    showProfile(false);
    say("企业信息已保存，之后的回答会逐条核对申报条件。");
  });
  $(".ask").addEventListener("submit", (e) => {
    e.preventDefault();
    ask(input.value);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ask(input.value);
    }
  });
  for (const m of state.messages) render(m);
  welcome();
  (document.body || document.documentElement).appendChild(host);
  if (data.open === "true") open();

  function open() {
    panel.hidden = false;
    fab.setAttribute("aria-expanded", "true");
    // Long answers are measured once they are laid out: a reload renders them into the hidden panel.
    for (const el of log.querySelectorAll(".msg.assistant")) fit(el);
    input.focus();
  }
  function showProfile(show) {
    profileForm.hidden = !show;
    profileButton.setAttribute("aria-expanded", String(show));
    if (show) profileForm.querySelector("input").focus();
  }
  function welcome() {
    if (state.messages.length || log.querySelector(".welcome")) return;
    render({ role: "assistant", text: WELCOME, followUps: EXAMPLES }).classList.add("welcome");
  }
  function close() {
    panel.hidden = true;
    fab.setAttribute("aria-expanded", "false");
    fab.focus();
  }
  function setProfile(profile) {
    state.profile = clean(profile || {});
    save();
  }
  function newConversation() {
    state.sessionId = null;
    state.messages = [];
    state.visitor = `v_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    log.textContent = "";
    save();
    welcome();
    say("已开始新对话。");
  }

  async function ask(text) {
    const question = String(text || "").trim();
    if (!question || state.busy) return;
    open();
    input.value = "";
    state.busy = true;
    say("");
    const greeting = log.querySelector(".welcome");
    if (greeting) greeting.remove();
    const user = { role: "user", text: question };
    state.messages.push(user);
    const userView = render(user);
    const reply = { role: "assistant", text: "", policies: [], citations: [], followUps: [], notice: "" };
    const view = render(reply, true);
    try {
      const res = await fetch(`${base}/v1/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({
          question,
          externalUserId: state.visitor,
          ...(state.sessionId ? { sessionId: state.sessionId } : {}),
          ...(state.profile ? { profile: state.profile } : {}),
        }),
      });
      if (res.status === 404 && state.sessionId) {
        // The conversation expired on the server: carry on in a new one.
        state.sessionId = null;
        state.busy = false;
        view.remove();
        state.messages.pop();
        log.lastElementChild && log.lastElementChild.remove();
        return ask(question);
      }
      if (!res.ok) throw await httpError(res);
      await readEvents(res, (event, d) => {
        if (event === "policies") {
          reply.policies = d.policies || [];
          reply.followUps = d.followUpQuestions || [];
          if (d.sessionId) state.sessionId = d.sessionId;
        } else if (event === "token") reply.text += d.text;
        else if (event === "reset") reply.text = "";
        else if (event === "citations") reply.citations = d.citations || [];
        else if (event === "done") {
          reply.text = d.answer;
          if (d.degraded) reply.notice = "智能回答暂不可用，以下为政策原文摘录。";
          if (d.understoodAs) reply.understoodAs = d.understoodAs;
          if (d.sessionId) state.sessionId = d.sessionId;
        } else if (event === "error") throw new Error((d.error && d.error.message) || "回答生成失败");
        update(view, reply);
      });
      if (!reply.text) throw new Error("没有收到回答，请重试。");
      state.messages.push(reply);
      save();
    } catch (err) {
      view.remove();
      const retry = () => {
        // The failed question goes again, once: its bubble and stored turn are replaced by the new attempt.
        userView.remove();
        const i = state.messages.indexOf(user);
        if (i >= 0) state.messages.splice(i, 1);
        ask(question);
      };
      say(errorText(err), true, err.final ? null : retry);
    } finally {
      state.busy = false;
    }
  }

  async function httpError(res) {
    let message = "";
    try {
      message = (await res.json()).error.message;
    } catch {}
    // A refused key stays refused: no retry button for it.
    if (res.status === 401) return Object.assign(new Error("API key 无效或已吊销，请联系网站管理员。"), { final: true });
    if (res.status === 403) return Object.assign(new Error("此网站未获授权使用政策助手。"), { final: true });
    if (res.status === 429) {
      const wait = Number(res.headers.get("retry-after")) || 60;
      return new Error(`提问太频繁了，请 ${wait} 秒后再试。`);
    }
    return new Error(message || `服务暂时不可用（${res.status}），请稍后再试。`);
  }
  function errorText(err) {
    if (!navigator.onLine || err instanceof TypeError) return "网络连接失败，请检查网络后重试。";
    return err.message || "出错了，请重试。";
  }

  async function readEvents(res, onEvent) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let event = "message",
          body = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) body += line.slice(5).trimStart();
        }
        if (body) onEvent(event, JSON.parse(body));
      }
    }
  }

  function render(m, pending) {
    const el = document.createElement("div");
    el.className = `msg ${m.role}`;
    log.appendChild(el);
    update(el, m, pending);
    return el;
  }

  function update(el, m, pending) {
    if (m.role === "user") {
      el.textContent = m.text;
      return;
    }
    const refs = {};
    for (const c of m.citations || []) refs[c.ref] = c;
    for (const p of m.policies || []) for (const c of p.citations || []) refs[c.ref] = c;
    const followUps = m.followUps || [];
    const fills = followUps.filter(replyTemplate),
      asks = followUps.filter((q) => !replyTemplate(q));
    el.innerHTML = `${m.notice ? `<p class="notice">${esc(m.notice)}</p>` : ""}
      ${m.understoodAs ? `<p class="understood">已按“${esc(m.understoodAs)}”理解</p>` : ""}
      <div class="text${m.expanded ? "" : " clip"}">${m.text ? cite(m.text, refs) : pending ? '<span class="typing" aria-label="正在输入"><i></i><i></i><i></i></span>' : ""}</div>
      <button type="button" class="more" aria-expanded="false" hidden>展开全文</button>
      ${(m.policies || []).map((p, i) => card(p, refs, i === 0)).join("")}
      ${fills.length ? `<p class="hint">补充以下信息，可判断能否申报：</p><div class="replies">${fills.map((q) => chip(q, "reply fill", `回答：${q}`)).join("")}</div>` : ""}
      ${asks.length ? `<div class="replies">${asks.map((q) => chip(q, "reply")).join("")}</div>` : ""}`;
    for (const b of el.querySelectorAll(".reply")) b.addEventListener("click", () => useChip(b.dataset.q));
    for (const a of el.querySelectorAll(".ref")) a.addEventListener("click", () => showQuote(a, refs[a.dataset.ref]));
    el.querySelector(".more").addEventListener("click", () => {
      m.expanded = !m.expanded;
      el.querySelector(".text").classList.toggle("clip", !m.expanded);
      fit(el, m);
      if (!m.expanded) el.scrollIntoView({ block: "nearest" });
      save();
    });
    el._message = m;
    fit(el, m);
    // Keep the newest message's start in view: a long answer is read from its top, not its end.
    log.scrollTop = Math.min(log.scrollHeight - log.clientHeight, el.offsetTop - 8);
  }

  /** Show 展开全文 only when the clipped text really overflows (measured, so it needs the open panel). */
  function fit(el, m = el._message) {
    const text = el.querySelector(".text"),
      more = el.querySelector(".more");
    if (!m || !text || !more || panel.hidden) return;
    const over = Boolean(m.expanded) || text.scrollHeight > text.clientHeight + 2;
    text.classList.toggle("over", over && !m.expanded);
    more.hidden = !over;
    more.textContent = m.expanded ? "收起" : "展开全文";
    more.setAttribute("aria-expanded", String(Boolean(m.expanded)));
  }

  function chip(q, cls, label) {
    return `<button type="button" class="${cls}" data-q="${esc(q)}"${label ? ` aria-label="${esc(label)}"` : ""}>${esc(q)}</button>`;
  }
  /** A question to the company is answered by the user, never sent back as the user's words. */
  function useChip(q) {
    const t = replyTemplate(q);
    if (!t) return ask(q);
    input.value = t.text;
    input.focus();
    input.setSelectionRange(t.start, t.end);
    say("请补全后发送。");
  }
  /**
   * The reply a user completes for the service's question to the company, with the part to fill in
   * selected (or the caret where it goes): 「贵公司上一年度营业收入是多少（万元）？」 → 「我们上一年度营业收入是  万元」.
   */
  function replyTemplate(q) {
    const us = /^(?:请问)?(?:贵公司|贵司|贵企业|贵单位)/;
    if (!us.test(q) || !/[？?]$/.test(q)) return null;
    const s = q.replace(us, "我们").replace(/[？?]$/, "");
    const caret = (text, at) => ({ text, start: at, end: at });
    const pick = (head, choice, tail) => ({ text: head + choice + tail, start: head.length, end: head.length + choice.length });
    let m;
    if ((m = /^(.*?)是否(已)?(.*)$/.exec(s))) return pick(m[1], m[2] ? "（已／未）" : "（是／否）", m[3]);
    if ((m = /^(.*?)多少（([^）]+)）(.*)$/.exec(s))) return caret(`${m[1]}  ${m[2]}${m[3]}`, m[1].length + 1);
    if ((m = /^(.*?)多少(.*)$/.exec(s))) return caret(`${m[1]}  ${m[2]}`, m[1].length + 1);
    if ((m = /^(.*?)哪(?:个|些|一|里)(.+)$/.exec(s))) return pick(m[1], `（${m[2]}）`, "");
    const text = s.replace(/什么$/, "");
    return caret(text, text.length);
  }

  function card(p, refs, first) {
    const e = p.eligibility;
    const badge = e ? { eligible: ["ok", "可申报"], ineligible: ["no", "不符合"], needs_info: ["info", "需补充信息"] }[e.verdict] : null;
    const mark = { met: ["✓", "符合"], unmet: ["✗", "不符合"], unknown: ["?", "待确认"] };
    const deadline = p.deadline
      ? {
          open: `截止 ${p.deadline.applyEnd}`,
          upcoming: `${p.deadline.applyStart} 起受理`,
          closed: `已于 ${p.deadline.applyEnd} 截止`,
          unknown: p.deadline.text || "",
        }[p.deadline.state]
      : "";
    // Cards fold to their title, verdict and deadline; the first opens by itself.
    return `<details class="card" aria-label="${esc(p.title)}"${first ? " open" : ""}><summary>
      <h3>${esc(p.title)}</h3>
      ${badge ? `<span class="badge ${badge[0]}">${badge[1]}</span>` : ""}${deadline ? `<span class="when">${esc(deadline)}</span>` : ""}</summary>
      <p class="meta">${esc([p.issuer, p.docNumber].filter(Boolean).join(" · "))}${p.source ? ` · <a href="${esc(safeUrl(p.source))}" target="_blank" rel="noopener">政策原文</a>` : ""}</p>
      ${p.support ? `<p><b>支持内容</b> ${cite(p.support, refs)}</p>` : ""}
      ${p.estimate ? `<p class="estimate"><b>估算可获</b> 约${esc(wan(p.estimate.amount))}（${esc(p.estimate.baseName)}${esc(wan(p.estimate.base))} × ${esc(String(+(p.estimate.rate * 100).toFixed(2)))}%${p.estimate.capped ? "，已按上限计" : ""}，以主管部门核定为准）</p>` : ""}
      ${
        e && e.checklist.length
          ? `<details${e.verdict !== "eligible" ? " open" : ""}><summary>申报条件核对（${e.checklist.filter((r) => r.status === "met").length}/${e.checklist.length}）</summary><ul class="checklist">${e.checklist
              .map(
                (r) =>
                  `<li class="${r.status}"><span class="mk" aria-label="${mark[r.status][1]}">${mark[r.status][0]}</span><span>${esc(r.text)}<small>${esc(r.reason)}</small></span></li>`,
              )
              .join("")}</ul></details>`
          : p.conditions && p.conditions.length
            ? `<details><summary>申报条件</summary><ul>${p.conditions.map((c) => `<li>${cite(c, refs)}</li>`).join("")}</ul></details>`
            : ""
      }
    </details>`;
  }

  function cite(text, refs) {
    return esc(text).replace(/\[(\d{1,3})\]/g, (_all, n) =>
      refs[n] ? `<button type="button" class="ref" data-ref="${n}" aria-label="出处 ${n}">${n}</button>` : "",
    );
  }
  function showQuote(anchor, c) {
    if (!c) return;
    const old = root.querySelector(".quote");
    if (old) old.remove();
    const q = document.createElement("div");
    q.className = "quote";
    q.setAttribute("role", "note");
    q.innerHTML = `<b>出处 ${c.ref}</b>${c.heading ? ` · ${esc(c.heading)}` : ""}<p>${esc(c.quote)}</p><button type="button" class="ghost">关闭</button>`;
    q.querySelector("button").addEventListener("click", () => q.remove());
    anchor.closest(".msg").appendChild(q);
    q.querySelector("button").focus();
  }
  function say(text, isError, retry) {
    status.hidden = !text;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
    if (!retry) return;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "retry";
    b.textContent = "重试";
    b.addEventListener("click", retry);
    status.append(" ", b);
  }
  function load() {
    try {
      return JSON.parse(localStorage.getItem(store) || "{}");
    } catch {
      return {};
    }
  }
  function save() {
    try {
      localStorage.setItem(
        store,
        JSON.stringify({ visitor: state.visitor, sessionId: state.sessionId, profile: state.profile, messages: state.messages.slice(-30) }),
      );
    } catch {}
  }
  function clean(o) {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length) || Number.isNaN(v)) continue;
      out[k] = v && typeof v === "object" && !Array.isArray(v) ? clean(v) : v;
    }
    return out;
  }
  // 万元 to words: 30 → 30万元, 12000 → 1.2亿元.
  function wan(v) {
    return v >= 10000 ? `${+(v / 10000).toFixed(2)}亿元` : `${+v.toFixed(2)}万元`;
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
  }
  function safeUrl(u) {
    return /^https?:\/\//i.test(u) ? u : "#";
  }
  function icon() {
    return '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 5v2h10V9H7zm0 4v2h7v-2H7z"/></svg>';
  }
  function css(c) {
    return `:host{all:initial}
*{box-sizing:border-box;font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",system-ui,sans-serif;font-size:14px;line-height:1.55;color:#1f2937;margin:0;padding:0;letter-spacing:normal;text-transform:none}
button{cursor:pointer;border:0;background:none;font:inherit}
button:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.fab{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;background:${c};color:#fff;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.fab svg,.fab path{color:#fff}
.panel{position:fixed;right:16px;bottom:88px;width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.28);display:flex;flex-direction:column;overflow:hidden}
[hidden]{display:none !important}
header{display:flex;align-items:center;gap:6px;padding:10px 12px;background:${c};color:#fff;flex:none}
header h2{flex:1;min-width:0;font-size:16px;font-weight:600;color:#fff;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header .ghost{color:#fff;font-size:12px;padding:4px 6px;border-radius:6px;border:1px solid rgba(255,255,255,.6);white-space:nowrap;flex:none}
header .close{border:0;font-size:16px}
.profile{flex:none;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,150px),1fr));gap:8px 10px;padding:10px 12px;border-bottom:1px solid #e5e7eb;background:#f9fafb;max-height:60%;overflow:auto}
.profile label{display:flex;flex-direction:column;gap:2px;min-width:0;font-size:12px;color:#374151}
.profile input:not([type=checkbox]){width:100%;min-width:0;border:1px solid #9ca3af;border-radius:6px;padding:5px 7px;background:#fff}
.profile fieldset{grid-column:1/-1;min-width:0;border:0;display:flex;flex-wrap:wrap;gap:4px 12px}.profile legend{font-size:12px;color:#374151;margin-bottom:2px}
.profile .check{flex-direction:row;align-items:center;gap:4px}
.profile .actions{grid-column:1/-1;display:flex;gap:8px}.profile .actions .ghost{color:#374151;text-decoration:underline;padding:0 8px}
.log{flex:1;position:relative;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f3f4f6}
.msg{max-width:92%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-break:break-word}
.msg.user{align-self:flex-end;background:${c};color:#fff}
.msg.assistant{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;white-space:normal}
.msg .text{white-space:pre-wrap}
.text.clip{max-height:min(55vh,24em);overflow:hidden}
.text.over{-webkit-mask-image:linear-gradient(#000 70%,transparent);mask-image:linear-gradient(#000 70%,transparent)}
.more{margin-top:4px;color:#1e3a8a;font-weight:600;font-size:13px;text-decoration:underline}
.understood{font-size:12px;color:#4b5563;margin-bottom:4px}
.hint{margin-top:8px;font-size:12px;color:#4b5563}.hint+.replies{margin-top:4px}
.notice{background:#fef3c7;color:#78350f;padding:4px 8px;border-radius:6px;margin-bottom:6px;font-size:12px}
.card{display:block;white-space:normal;border:1px solid #d1d5db;border-radius:10px;padding:8px 10px;margin-top:8px;background:#fafafa}
.card>summary{display:block;list-style:none;position:relative;padding-right:20px;font-weight:400}
.card>summary::-webkit-details-marker{display:none}
.card>summary::after{content:"▾";position:absolute;right:2px;top:0;color:#4b5563}.card:not([open])>summary::after{content:"▸"}
.card h3{font-size:14px;font-weight:600}
.when{display:inline-block;margin-top:4px;font-size:12px;color:#374151}.badge+.when{margin-left:8px}
.meta{font-size:12px;color:#4b5563}.meta a{color:#1e3a8a;text-decoration:underline;font-size:12px}
.card p{margin-top:4px}.card b{font-weight:600}
.estimate{background:#fefce8;border-radius:6px;padding:4px 8px}
.badge{display:inline-block;margin-top:4px;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600}
.badge.ok{background:#dcfce7;color:#14532d}.badge.no{background:#fee2e2;color:#7f1d1d}.badge.info{background:#e0e7ff;color:#312e81}
details{margin-top:6px}summary{cursor:pointer;font-weight:600;font-size:13px}
.checklist{list-style:none;margin-top:4px}
.checklist li{display:flex;gap:6px;padding:3px 0;border-top:1px dashed #e5e7eb}
.checklist small{display:block;font-size:12px;color:#4b5563}
.mk{font-weight:700;width:16px;flex:none}.met .mk{color:#15803d}.unmet .mk{color:#b91c1c}.unknown .mk{color:#4338ca}
.ref{display:inline-block;min-width:18px;padding:0 4px;margin:0 1px;border-radius:4px;background:#e0e7ff;color:#312e81;font-size:11px;line-height:16px;vertical-align:super}
.quote{white-space:normal;margin-top:6px;padding:8px;border-left:3px solid ${c};background:#eef2ff;font-size:13px}
.quote .ghost{margin-top:4px;color:#312e81;text-decoration:underline}
.replies{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;white-space:normal}
.reply{border:1px solid ${c};color:${c};background:#fff;border-radius:999px;padding:3px 10px;font-size:12px;text-align:left}
.reply.fill{border-style:dashed}.reply.fill::before{content:"✎ ";color:inherit;font-size:12px}
.typing i{display:inline-block;width:6px;height:6px;margin:0 2px;border-radius:50%;background:#6b7280;animation:b 1s infinite}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,80%,100%{opacity:.25}40%{opacity:1}}
.status{flex:none;padding:6px 12px;font-size:12px;background:#ecfdf5;color:#065f46}.status.error{background:#fee2e2;color:#7f1d1d}
.retry{margin-left:6px;padding:1px 10px;border:1px solid #7f1d1d;border-radius:6px;color:#7f1d1d;font-size:12px;font-weight:600;background:#fff}
.ask{flex:none;display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;border:1px solid #9ca3af;border-radius:8px;padding:7px 9px;min-height:38px;max-height:120px;background:#fff}
.primary{background:${c};color:#fff;border-radius:8px;padding:0 14px;font-weight:600;min-height:36px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}.fab{right:14px;bottom:14px}}`;
  }

  window.PolicyMatch = { open, close, ask, setProfile, newConversation };
})();
