import { readFile } from "node:fs/promises";
import { z } from "zod";
import { CompanyProfileSchema } from "../policies/profile.js";

/** A dataset file that is missing or malformed; the message names the file and line. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = "DatasetError";
  }
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "asOf must be an ISO date (YYYY-MM-DD)");

export const QuestionCaseSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  profile: CompanyProfileSchema.optional(),
  relevant: z.array(z.string()),
  acceptable: z.array(z.string()).default([]),
  kind: z.string().optional(),
  asOf: isoDate.optional(),
});
export type QuestionCase = z.infer<typeof QuestionCaseSchema>;

export const Verdicts = ["eligible", "ineligible", "needs_info"] as const;
export type Verdict = (typeof Verdicts)[number];

export const MatchCaseSchema = z.object({
  id: z.string().min(1),
  profile: CompanyProfileSchema,
  policy: z.string().min(1),
  expected: z.enum(Verdicts),
  why: z.string().optional(),
  asOf: isoDate.optional(),
});
export type MatchCase = z.infer<typeof MatchCaseSchema>;

export const GovQaSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  // One row of the knowledge base has an empty answer; it cannot be a document.
  answer: z.string(),
  department: z.string().nullish(),
});
export type GovQa = z.infer<typeof GovQaSchema>;

/** Reads a JSON-lines file, validating every line; blank lines are skipped. */
export async function readJsonl<S extends z.ZodType>(file: string, schema: S): Promise<Array<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(file, null, code === "ENOENT" ? "file not found" : `cannot read (${code ?? (err as Error).message})`);
  }
  const out: Array<z.infer<S>> = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(file, i + 1, `not valid JSON (${(err as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetError(file, i + 1, `${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    const id = (parsed.data as { id?: string }).id;
    if (id !== undefined) {
      if (seen.has(id)) throw new DatasetError(file, i + 1, `duplicate id "${id}" (first on line ${seen.get(id)})`);
      seen.set(id, i + 1);
    }
    out.push(parsed.data);
  });
  if (out.length === 0) throw new DatasetError(file, null, "no cases in file");
  return out;
}
