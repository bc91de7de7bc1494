/** One line per database and percentile: latency (ms) against library size (chunks, log scale). */
export type Series = { label: string; color: string; dashed?: boolean; points: Array<{ chunks: number; ms: number }> };

export function latencyChart(series: Series[], title: string, yLabel = "hybrid retrieval latency (ms)"): string {
  const W = 720,
    H = 420,
    L = 64,
    R = 180,
    T = 40,
    B = 56;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => Math.log10(p.chunks));
  // A library just past a power of ten (101,150 chunks) should not stretch the axis to the next one.
  const x0 = Math.floor(Math.min(...xs)),
    x1 = Math.max(x0 + 1, Math.ceil(Math.max(...xs) - 0.02), Math.max(...xs));
  const yMax = niceCeil(Math.max(...all.map((p) => p.ms)));
  const px = (c: number) => L + ((Math.log10(c) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (ms: number) => H - B - (ms / yMax) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let e = x0; e <= Math.floor(x1); e++) {
    const x = px(10 ** e);
    out.push(
      `<line x1="${x}" y1="${T}" x2="${x}" y2="${H - B}" stroke="#eee"/>`,
      `<text x="${x}" y="${H - B + 18}" text-anchor="middle">${(10 ** e).toLocaleString("en")}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const v = (yMax / 5) * i;
    out.push(
      `<line x1="${L}" y1="${py(v)}" x2="${W - R}" y2="${py(v)}" stroke="#eee"/>`,
      `<text x="${L - 8}" y="${py(v) + 4}" text-anchor="end">${round(v)}</text>`,
    );
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 14}" text-anchor="middle">library size (chunks, log scale)</text>`);
  out.push(`<text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">${escapeXml(yLabel)}</text>`);
  series.forEach((s, i) => {
    const pts = [...s.points].sort((a, b) => a.chunks - b.chunks);
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${pts.map((p) => `${px(p.chunks)},${py(p.ms)}`).join(" ")}"/>`,
    );
    for (const p of pts) out.push(`<circle cx="${px(p.chunks)}" cy="${py(p.ms)}" r="3" fill="${s.color}"/>`);
    const ly = T + 10 + i * 20;
    out.push(
      `<line x1="${W - R + 14}" y1="${ly}" x2="${W - R + 38}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      `<text x="${W - R + 44}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

function niceCeil(v: number): number {
  const e = 10 ** Math.floor(Math.log10(v || 1));
  return [1, 2, 2.5, 5, 10].map((m) => m * e).find((c) => c >= v) ?? 10 * e;
}
const round = (v: number) => (v >= 10 ? Math.round(v) : Math.round(v * 10) / 10);
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
