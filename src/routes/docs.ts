/**
 * A self-contained API reference page: it reads /openapi.json in the browser and
 * lists every operation with its schemas. No CDN, so it works offline.
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>policy-match API</title>
<style>body{font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}.op{border:1px solid #d0d7de;border-radius:8px;margin:1rem 0;padding:.8rem 1rem}
.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}.get{color:#1a7f37}.post{color:#0969da}
pre{background:#f6f8fa;padding:.8rem;border-radius:6px;overflow:auto;font-size:13px}summary{cursor:pointer}</style></head>
<body><h1>policy-match API</h1><p>OpenAPI document: <a href="${specUrl}">${specUrl}</a></p><div id="ops">加载中…</div>
<script type="module">
const spec = await (await fetch(${JSON.stringify(specUrl)})).json();
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
const out = [\`<p>\${esc(spec.info.description)}</p>\`];
for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  out.push(\`<div class="op"><span class="m \${method}">\${method}</span> <code>\${esc(path)}</code> — \${esc(op.summary)}
  \${body ? \`<details><summary>Request body</summary><pre>\${esc(JSON.stringify(body, null, 2))}</pre></details>\` : ""}
  \${op.parameters?.length ? \`<details><summary>Parameters</summary><pre>\${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>\` : ""}
  <details><summary>Responses</summary><pre>\${esc(JSON.stringify(op.responses, null, 2))}</pre></details></div>\`);
}
out.push(\`<details><summary>Schemas</summary><pre>\${esc(JSON.stringify(spec.components?.schemas ?? {}, null, 2))}</pre></details>\`);
document.getElementById("ops").innerHTML = out.join("");
</script></body></html>`;
}
