import { fnv1a32 } from "../lib/hash.js";

/** The widget script as served, with its ETag; each runtime supplies the script's text (asset-node.ts, worker.ts). */
export function widgetFrom(js: string): { js: string; etag: string } {
  return { js, etag: `"w-${fnv1a32(js).toString(36)}-${js.length.toString(36)}"` };
}

/** The page served at /: what a site that embeds the widget looks like. */
export function demoPage(options: { origin: string; apiKey?: string }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>policy-match 演示 · 科技政策助手</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;max-width:760px;margin:40px auto;padding:0 16px;color:#1f2937;line-height:1.7}
code{background:#f3f4f6;padding:1px 4px;border-radius:4px}pre{white-space:pre-wrap;word-break:break-all}h1{font-size:26px}</style></head>
<body>
<h1>武汉创新服务平台（演示）</h1>
<p>这是一个嵌入了 <b>policy-match</b> 科技政策助手的示例页面。点击右下角的按钮提问，例如「我们是武汉的高新技术企业，去年营收3000万，有什么奖励？」；回答会逐条核对申报条件，并给出政策原文出处。</p>
<p>在任何网站上嵌入只需一行：</p>
<pre><code>&lt;script src="${options.origin}/widget.js" data-api-key="pm_…" data-title="科技政策助手" async&gt;&lt;/script&gt;</code></pre>
<p><a href="/docs">API 文档</a> · <a href="/openapi.json">OpenAPI</a></p>
<script src="/widget.js" data-title="科技政策助手"${options.apiKey ? ` data-api-key="${options.apiKey.replace(/"/g, "")}"` : ""} async></script>
</body></html>`;
}
