import { describe, expect, it } from "vitest";
import { loadPrompts, PromptError, parsePrompt } from "../../src/llm/prompts.js";

const file = (variables: string, user: string) => `---\npurpose: test\nvariables:\n${variables}\n---\n# system\n规则。\n\n# user\n${user}\n`;

describe("prompt files", () => {
  it("loads the project's prompts with the variables each declares", async () => {
    const prompts = await loadPrompts(new URL("../../prompts/", import.meta.url).pathname);
    expect(Object.keys(prompts.answer.variables).sort()).toEqual(["company", "facts", "history", "passages", "question"]);
    expect(Object.keys(prompts.rewrite.variables).sort()).toEqual(["history", "question"]);
    expect(Object.keys(prompts.criteria.variables).sort()).toEqual(["criteria", "title"]);
    const messages = await prompts.answer.template.formatMessages({ passages: "[1] 《甲》\n正文", company: "无", facts: "无", history: "", question: "问{x}" });
    expect(messages.map((m) => m.getType())).toEqual(["system", "human"]);
    // Values are data: braces in a question are not template syntax.
    expect(String(messages[1].content)).toContain("问{x}");
  });

  it("refuses a file whose text uses a variable it does not declare, or declares one it never uses", () => {
    expect(() => parsePrompt("a.md", file("  question: 问题", "{question} {passages}"))).toThrow(
      /declares variables \[question\] but its text uses \[passages, question\]/,
    );
    expect(() => parsePrompt("b.md", file("  question: 问题\n  extra: 多余", "{question}"))).toThrow(PromptError);
  });

  it("refuses a file without front matter or without its sections", () => {
    expect(() => parsePrompt("c.md", "# system\nx\n# user\ny")).toThrow(/front matter/);
    expect(() => parsePrompt("d.md", "---\npurpose: t\nvariables: {}\n---\n# user\ny\n")).toThrow(/"# system"/);
  });
});
