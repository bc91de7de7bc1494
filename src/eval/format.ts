import type { EvalResult } from "./evaluate.js";
import { Verdicts } from "./datasets.js";

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(3));

/** A plain-text table: the header row, then rows, columns padded to width (CJK counted double). */
export function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => c + " ".repeat(cols[i] - width(c))).join("  ").trimEnd();
  return [line(header), cols.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** The human-readable report `npm run eval` prints. */
export function formatReport(r: EvalResult, options: { misses: number }): string {
  const out: string[] = [];
  out.push(`embedder ${r.config.embedder} · retriever ${r.config.retriever} · database ${r.config.database}${r.config.asOf ? ` · asOf ${r.config.asOf}` : ""}`);
  if (r.corpus) out.push(`corpus: ${r.corpus.documents} documents, ${r.corpus.chunks} chunks, ${r.corpus.failed} failed, indexed in ${(r.corpus.ms / 1000).toFixed(1)} s`);

  if (r.retrieval) {
    const q = r.retrieval;
    out.push("", `Policy questions (${q.questions} with an answer, ${q.noAnswerQuestions} without)`);
    out.push(table(
      ["path", "R@5", "R@10", "MRR@10", "nDCG@10", "no-answer acc.", "answered kept"],
      (Object.entries(q.paths) as Array<[string, typeof q]>).map(([name, p]) => [
        name + (name === r.config.retriever ? " *" : ""), f3(p["recall@5"]), f3(p["recall@10"]), f3(p["mrr@10"]), f3(p["ndcg@10"]),
        f3(p.noAnswerAccuracy), f3(p.answeredKept),
      ]),
    ));
    out.push("", table(["kind", "questions", "R@10", "MRR@10"], Object.entries(q.byKind).map(([k, v]) => [k, String(v.questions), f3(v["recall@10"]), f3(v["mrr@10"])])));
    if (q.misses.length) {
      out.push("", `Misses (${q.misses.length}; relevant outside the top 5, or an answer where none exists):`);
      for (const m of q.misses.slice(0, options.misses)) {
        out.push(`  ${m.id} ${m.question}\n      expected [${m.expected.join(", ") || "no answer"}] got [${m.got.join(", ") || "no answer"}]`);
      }
    }
  }

  if (r.eligibility) {
    const e = r.eligibility;
    out.push("");
    out.push(`Eligibility (${e.cases} cases): accuracy ${f3(e.accuracy)}`);
    out.push(table(["expected \\ got", ...Verdicts], Verdicts.map((x) => [x, ...Verdicts.map((y) => String(e.confusion[x][y]))])));
    if (e.unknownPolicies.length) out.push(`  policies not in the corpus (judged needs_info): ${e.unknownPolicies.join(", ")}`);
    for (const m of e.misses.slice(0, options.misses)) out.push(`  ${m.id} ${m.policy}: expected ${m.expected}, got ${m.got}${m.why ? ` — ${m.why}` : ""}`);
  }

  if (r.msgabench) {
    const m = r.msgabench;
    out.push("", `MSGABench (${m.documents} distinct answers indexed; science subset, ${m.questions} questions)`);
    const rows = Object.entries(m.paths).map(([name, p]) => [
      name + (name === r.config.retriever ? " *" : ""), f3(p["recall@1"]), f3(p["recall@5"]), f3(p["recall@10"]), f3(p["mrr@10"]),
    ]);
    if (m.all) rows.push([`all ${m.all.questions} (${r.config.retriever})`, f3(m.all["recall@1"]), f3(m.all["recall@5"]), f3(m.all["recall@10"]), f3(m.all["mrr@10"])]);
    out.push(table(["path", "R@1", "R@5", "R@10", "MRR@10"], rows));
    if (options.misses > 0 && m.misses.length) {
      out.push(`Misses at rank 1 (${m.misses.length}), first ${Math.min(options.misses, m.misses.length)}:`);
      for (const x of m.misses.slice(0, options.misses)) out.push(`  ${x.id} ${x.question}  expected ${x.expected} got [${x.got.join(", ")}]`);
    }
  }
  return out.join("\n");
}
