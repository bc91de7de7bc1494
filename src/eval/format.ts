import { formatCoverage } from "./criteria-coverage.js";
import { Verdicts } from "./datasets.js";
import type { EvalResult } from "./evaluate.js";
import { PARTS } from "./split.js";

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(3));
const signed = (v: number) => (Math.abs(v) < 0.0005 ? "±0.000" : `${v > 0 ? "+" : "−"}${Math.abs(v).toFixed(3)}`);
/** A figure with ours − reference beside it. */
const vs = (ours: number, ref: number | undefined) => (ref === undefined ? f3(ours) : `${f3(ours)} (${signed(ours - ref)})`);
const trio = (all: number | string, tune: number | string, check: number | string) => `${all} · ${tune} · ${check}`;

/** A plain-text table: the header row, then rows, columns padded to width (CJK counted double). */
export function table(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(cols[i] - width(c ?? "")))
      .join("  ")
      .trimEnd();
  return [line(header), cols.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** The human-readable report `npm run eval` prints. */
export function formatReport(r: EvalResult, options: { misses: number }): string {
  const out: string[] = [];
  out.push(
    `embedder ${r.config.embedder || "–"} · retriever ${r.config.retriever} · database ${r.config.database || "–"}${r.config.asOf ? ` · asOf ${r.config.asOf}` : ""}`,
  );
  out.push(`split: ${r.config.split}; figures read "all · tune · check" where three are given`);
  if (r.corpus)
    out.push(`corpus: ${r.corpus.documents} documents, ${r.corpus.chunks} chunks, ${r.corpus.failed} failed, indexed in ${(r.corpus.ms / 1000).toFixed(1)} s`);
  if (r.criteria) out.push(...formatCoverage(r.criteria));

  if (r.retrieval) {
    const q = r.retrieval;
    out.push("", `Policy questions: reference = plain BM25 + bigrams (${q.reference.chunks} chunks); (±x) = ours − reference`);
    const parts = [["all", q, q.reference] as const, ...PARTS.map((p) => [p, q.split[p], q.split[p].reference] as const)];
    for (const [name, figures, ref] of parts) {
      const paths = name === "all" ? Object.entries(q.paths) : [[r.config.retriever, figures] as const];
      out.push("", `${name} (${figures.questions} with an answer, ${figures.noAnswerQuestions} without)`);
      out.push(
        table(
          ["path", "R@5", "R@10", "MRR@10", "nDCG@10", "no-answer acc.", "answered kept"],
          [
            ["reference", f3(ref["recall@5"]), f3(ref["recall@10"]), f3(ref["mrr@10"]), f3(ref["ndcg@10"]), "–", "–"],
            ...paths.map(([path, p]) => [
              path + (path === r.config.retriever ? " *" : ""),
              vs(p["recall@5"], ref["recall@5"]),
              vs(p["recall@10"], ref["recall@10"]),
              vs(p["mrr@10"], ref["mrr@10"]),
              vs(p["ndcg@10"], ref["ndcg@10"]),
              f3(p.noAnswerAccuracy),
              f3(p.answeredKept),
            ]),
          ],
        ),
      );
    }
    const gate = [q.gate, q.split.tune.gate, q.split.check.gate];
    out.push("", `No-answer gate (${r.config.retriever}), questions: all · tune · check`);
    out.push(
      table(
        ["should \\ did", "answered", "said nothing"],
        [
          [
            "should answer",
            trio(...(gate.map((g) => String(g.shouldAnswer.answered)) as [string, string, string])),
            trio(...(gate.map((g) => String(g.shouldAnswer.nothing)) as [string, string, string])),
          ],
          [
            "should not",
            trio(...(gate.map((g) => String(g.shouldNot.answered)) as [string, string, string])),
            trio(...(gate.map((g) => String(g.shouldNot.nothing)) as [string, string, string])),
          ],
        ],
      ),
    );
    if (q.ablation?.length) {
      out.push("", "From the reference to the service, one mechanism at a time (each step keeps those above it; (±x) = this step − the one above)");
      const rows = q.ablation.map((row, i) => {
        const above = q.ablation[i - 1];
        const cell = (part: "all" | "tune" | "check", metric: "recall@5" | "mrr@10") =>
          above ? vs(row[part][metric], above[part][metric]) : f3(row[part][metric]);
        return [
          row.step,
          cell("all", "recall@5"),
          cell("tune", "recall@5"),
          cell("check", "recall@5"),
          cell("tune", "mrr@10"),
          cell("check", "mrr@10"),
          `${f3(row.tune.answeredKept)} · ${f3(row.check.answeredKept)}`,
          `${f3(row.tune.noAnswerAccuracy)} · ${f3(row.check.noAnswerAccuracy)}`,
        ];
      });
      out.push(table(["step", "R@5 all", "R@5 tune", "R@5 check", "MRR@10 tune", "MRR@10 check", "kept tune · check", "no-answer tune · check"], rows));
      for (const row of q.ablation) out.push(`  ${row.step}: ${row.what}`);
    }
    out.push("", `By kind (${r.config.retriever}, ours (ours − reference))`);
    out.push(
      table(
        ["kind", "questions", "R@5 all", "R@5 tune", "R@5 check", "MRR@10 all", "MRR@10 tune", "MRR@10 check"],
        Object.entries(q.byKind).map(([k, v]) => {
          const cell = (set: typeof q | typeof q.split.tune, ref: typeof q.reference.byKind, metric: "recall@5" | "mrr@10") =>
            set.byKind[k] ? vs(set.byKind[k][metric], ref[k]?.[metric]) : "–";
          return [
            k,
            trio(v.questions, q.split.tune.byKind[k]?.questions ?? 0, q.split.check.byKind[k]?.questions ?? 0),
            cell(q, q.reference.byKind, "recall@5"),
            cell(q.split.tune, q.split.tune.reference.byKind, "recall@5"),
            cell(q.split.check, q.split.check.reference.byKind, "recall@5"),
            cell(q, q.reference.byKind, "mrr@10"),
            cell(q.split.tune, q.split.tune.reference.byKind, "mrr@10"),
            cell(q.split.check, q.split.check.reference.byKind, "mrr@10"),
          ];
        }),
      ),
    );
    if (q.variants) {
      const v = q.variants;
      const share = (x: { questions: number; same: number }) => (x.questions ? `${f3(x.same / x.questions)} (${x.same}/${x.questions})` : "–");
      out.push("", "Variants: the same top policy as the plain question (all · tune · check)");
      out.push(
        table(
          ["variant", "all", "tune", "check"],
          [
            ["traditional characters", share(v.traditional), share(v.split.tune.traditional), share(v.split.check.traditional)],
            ["one typo in a policy term", share(v.typo), share(v.split.tune.typo), share(v.split.check.typo)],
          ],
        ),
      );
    }
    if (q.misses.length) {
      out.push("", `Misses (${q.misses.length}; relevant outside the top 5, or an answer where none exists):`);
      for (const m of q.misses.slice(0, options.misses)) {
        out.push(`  ${m.id} ${m.question}\n      expected [${m.expected.join(", ") || "no answer"}] got [${m.got.join(", ") || "no answer"}]`);
      }
    }
  }

  if (r.eligibility) {
    const e = r.eligibility;
    const s = e.split;
    out.push("");
    out.push(
      `Eligibility (cases ${trio(e.cases, s.tune.cases, s.check.cases)}): accuracy ${trio(f3(e.accuracy), f3(s.tune.accuracy), f3(s.check.accuracy))}; false "eligible" ${trio(e.falseEligible, s.tune.falseEligible, s.check.falseEligible)}`,
    );
    out.push(
      table(
        ["expected \\ got", ...Verdicts],
        Verdicts.map((x) => [x, ...Verdicts.map((y) => trio(e.confusion[x][y], s.tune.confusion[x][y], s.check.confusion[x][y]))]),
      ),
    );
    if (e.unknownPolicies.length) out.push(`  policies not in the corpus (judged needs_info): ${e.unknownPolicies.join(", ")}`);
    for (const m of e.misses.slice(0, options.misses)) out.push(`  ${m.id} ${m.policy}: expected ${m.expected}, got ${m.got}${m.why ? ` — ${m.why}` : ""}`);
  }

  if (r.facts) {
    const f = r.facts;
    const s = f.split;
    out.push("", `Company facts (check-facts.mjs against the live server; cases ${trio(f.cases, s.tune.cases, s.check.cases)}, ${f.errors} errors)`);
    out.push(
      table(
        ["figure", "all", "tune", "check"],
        (["precision", "recall", "f1", "exactCases", "industryRecall"] as const).map((k) => [k, f3(f[k]), f3(s.tune[k]), f3(s.check[k])]),
      ),
    );
    out.push("", "Facts cases read exactly, by trap (exact/cases: all · tune · check)");
    out.push(
      table(
        ["trap", "all", "tune", "check"],
        Object.entries(f.byTrap ?? {}).map(([k, v]) => [
          k,
          `${v.all.exact}/${v.all.cases}`,
          `${v.tune.exact}/${v.tune.cases}`,
          `${v.check.exact}/${v.check.cases}`,
        ]),
      ),
    );
    out.push("", "Facts misses by field (all cases)");
    out.push(
      table(
        ["field", "missing", "wrong", "extra"],
        Object.entries(f.byField)
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([k, v]) => [k, String(v.missing), String(v.wrong), String(v.extra)]),
      ),
    );
    for (const m of f.misses.slice(0, options.misses)) {
      out.push(
        `  ${m.id}${m.error ? ` error: ${m.error}` : ""}${m.wrong.length ? ` wrong: ${m.wrong.join("; ")}` : ""}${m.missing.length ? ` missing: ${m.missing.join(", ")}` : ""}${m.extra.length ? ` extra: ${m.extra.join("; ")}` : ""}`,
      );
    }
  }

  if (r.answers) {
    const a = r.answers;
    const s = a.split;
    out.push("", `Answers (check-answers.mjs against the live server; cases ${trio(a.cases, s.tune.cases, s.check.cases)}, ${a.errors} errors)`);
    out.push(
      table(
        ["figure", "all", "tune", "check"],
        (["about", "stated", "upfront", "pass"] as const).map((k) => [k, f3(a[k]), f3(s.tune[k]), f3(s.check[k])]),
      ),
    );
    out.push("", "Answers passing, by intent");
    out.push(
      table(
        ["intent", "all", "tune", "check"],
        Object.entries(a.byIntent)
          .sort((x, y) => x[0].localeCompare(y[0]))
          .map(([k, v]) => {
            const part = (p: "tune" | "check") => (s[p].byIntent[k] ? `${s[p].byIntent[k].pass}/${s[p].byIntent[k].cases}` : "–");
            return [k, `${v.pass}/${v.cases}`, part("tune"), part("check")];
          }),
      ),
    );
    for (const m of a.misses.slice(0, options.misses)) {
      out.push(
        `  ${m.id} [${m.intent ?? "?"}]${m.error ? ` error: ${m.error}` : ` about ${m.about ? "✓" : "✗"} stated ${m.stated ? "✓" : "✗"} upfront ${m.upfront ? "✓" : "✗"}`}`,
      );
    }
  }

  if (r.metadata) {
    const m = r.metadata;
    out.push("", `Metadata read from the text (${m.documents} corpus documents, front matter removed, compared with it; documents ${"all · tune · check"})`);
    out.push(
      table(
        [
          "field",
          "documents",
          "accuracy all",
          "tune",
          "check",
          "text states it",
          "accuracy there (all · tune · check)",
          "extracted without front-matter value",
        ],
        Object.entries(m.fields).map(([k, v]) => {
          const [t, c] = [m.split.tune[k as keyof typeof m.split.tune], m.split.check[k as keyof typeof m.split.check]];
          return [
            k,
            trio(v.documents, t.documents, c.documents),
            f3(v.accuracy),
            f3(t.accuracy),
            f3(c.accuracy),
            trio(v.stated, t.stated, c.stated),
            `${f3(v.statedAccuracy)} · ${f3(t.statedAccuracy)} · ${f3(c.statedAccuracy)}`,
            String(v.spurious),
          ];
        }),
      ),
    );
    const byField = new Map<string, typeof m.misses>();
    for (const x of m.misses) byField.set(x.field, [...(byField.get(x.field) ?? []), x]);
    for (const [field, misses] of byField) {
      out.push(`Misses, ${field} (${misses.length}), first ${Math.min(options.misses, misses.length)}:`);
      for (const x of misses.slice(0, options.misses)) out.push(`  ${x.id}: expected ${x.expected} got ${x.got ?? "nothing"}`);
    }
  }

  if (r.structure) {
    const s = r.structure;
    out.push(
      "",
      `Application windows and support rules read by the rules, against the gold table (${s.documents} documents, ${trio(s.documents, s.split.tune.documents, s.split.check.documents)}; all · tune · check)`,
    );
    const parts = [s, s.split.tune, s.split.check];
    out.push(
      table(
        ["figure", "all", "tune", "check"],
        [
          ["window kind right", ...parts.map((p) => `${p.windowKind}/${p.documents}`)],
          ["window right (months, dates)", ...parts.map((p) => `${p.window}/${p.documents}`)],
          ["support rules in the gold table", ...parts.map((p) => String(p.rules.gold))],
          ["support rules read", ...parts.map((p) => String(p.rules.read))],
          ["matched (kind and figure)", ...parts.map((p) => String(p.rules.matched))],
          ["precision", ...parts.map((p) => f3(p.rules.precision))],
          ["recall", ...parts.map((p) => f3(p.rules.recall))],
          ["F1", ...parts.map((p) => f3(p.rules.f1))],
          ["caps right (of matched rates and per-unit sums)", ...parts.map((p) => String(p.capRight))],
        ],
      ),
    );
    out.push(`Misses (${s.misses.length} documents), first ${Math.min(options.misses, s.misses.length)}:`);
    for (const x of s.misses.slice(0, options.misses)) {
      out.push(
        `  ${x.id}:${x.window ? ` window expected ${x.window.expected} got ${x.window.got};` : ""}${x.missing.length ? ` missing ${x.missing.join(", ")};` : ""}${x.extra.length ? ` extra ${x.extra.join(", ")}` : ""}`,
      );
    }
  }

  if (r.msgabench) {
    const m = r.msgabench;
    out.push(
      "",
      `MSGABench (${m.documents} distinct answers indexed; science subset, ${m.questions} questions; reference = plain BM25 + bigrams, ${m.reference.chunks} chunks; (±x) = ours − reference)`,
    );
    type Figures = Pick<typeof m, "recall@1" | "recall@5" | "recall@10" | "mrr@10">;
    const row = (name: string, p: Figures, ref?: Figures) => [
      name,
      vs(p["recall@1"], ref?.["recall@1"]),
      vs(p["recall@5"], ref?.["recall@5"]),
      vs(p["recall@10"], ref?.["recall@10"]),
      vs(p["mrr@10"], ref?.["mrr@10"]),
    ];
    const rows = [
      row("reference", m.reference),
      ...Object.entries(m.paths).map(([name, p]) => row(name + (name === r.config.retriever ? " *" : ""), p, m.reference)),
      ...PARTS.flatMap((part) => [
        row(`${part}: reference (${m.split[part].questions})`, m.split[part].reference),
        row(`${part}: ${r.config.retriever}`, m.split[part], m.split[part].reference),
      ]),
    ];
    if (m.all)
      rows.push(row(`all ${m.all.questions}: reference`, m.all.reference), row(`all ${m.all.questions}: ${r.config.retriever}`, m.all, m.all.reference));
    out.push(table(["path", "R@1", "R@5", "R@10", "MRR@10"], rows));
    if (options.misses > 0 && m.misses.length) {
      out.push(`Misses at rank 1 (${m.misses.length}), first ${Math.min(options.misses, m.misses.length)}:`);
      for (const x of m.misses.slice(0, options.misses)) out.push(`  ${x.id} ${x.question}  expected ${x.expected} got [${x.got.join(", ")}]`);
    }
  }
  return out.join("\n");
}
