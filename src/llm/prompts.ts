import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * A prompt file: YAML front matter naming its purpose and every variable it
 * takes, then "# system" and "# user" sections in LangChain's {variable}
 * syntax. A file whose template uses a variable it does not declare, or
 * declares one it never uses, is refused at start, not discovered mid-answer.
 */
export type PromptFile = { name: string; purpose: string; variables: Record<string, string>; template: ChatPromptTemplate };

const FrontMatterSchema = z.object({ purpose: z.string().min(1), variables: z.record(z.string(), z.string()) });

export class PromptError extends Error {}

export function parsePrompt(name: string, text: string): PromptFile {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new PromptError(`${name}: missing the front matter (---) naming purpose and variables`);
  const front = FrontMatterSchema.safeParse(parseYaml(m[1]));
  if (!front.success) throw new PromptError(`${name}: front matter: ${front.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const sections = new Map<string, string>();
  for (const part of m[2].split(/^# (?=system\s*$|user\s*$)/m).slice(1)) {
    const [head, ...body] = part.split("\n");
    sections.set(head.trim(), body.join("\n").trim());
  }
  const system = sections.get("system"),
    user = sections.get("user");
  if (!system || !user) throw new PromptError(`${name}: needs a "# system" and a "# user" section`);
  const template = ChatPromptTemplate.fromMessages([
    ["system", system],
    ["human", user],
  ]);
  const declared = Object.keys(front.data.variables).sort();
  const used = [...template.inputVariables].sort();
  if (declared.join() !== used.join()) {
    throw new PromptError(`${name}: declares variables [${declared.join(", ")}] but its text uses [${used.join(", ")}]`);
  }
  return { name, purpose: front.data.purpose, variables: front.data.variables, template };
}

export type Prompts = { answer: PromptFile; rewrite: PromptFile; criteria: PromptFile };

const FILES = { answer: "answer.md", rewrite: "query-rewrite.md", criteria: "criteria-extraction.md" } as const;

export async function loadPrompts(dir: string): Promise<Prompts> {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([key, file]) => [key, parsePrompt(file, await readFile(join(dir, file), "utf8"))] as const),
  );
  return Object.fromEntries(entries) as Prompts;
}
