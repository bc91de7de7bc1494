import { CITATION_PATTERN } from "./grounding.js";

/** The closing note of an extractive answer: the cards' provenance, which a plain-text channel has no room for. */
const PROVENANCE = /^以上内容摘自政策原文.*$/gm;

/**
 * The answer as plain text for channels that show no markup and cap message
 * length (WeChat replies): citations and list markers go; the direct answer
 * comes first, then as many of the one-line policy summaries as fit.
 */
export function toPlainText(answer: string, maxChars: number): string {
  const text = answer
    .replace(new RegExp(String.raw`\s*${CITATION_PATTERN}`, "g"), "")
    .replace(/^\s*#{1,6}\s*/gm, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/^[ \t]+/gm, "")
    .replace(PROVENANCE, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (text.length <= maxChars) return text;
  const [first, ...rest] = text.split("\n");
  let out = first.length <= maxChars ? first : cutAtSentence(first, maxChars);
  for (const line of rest) {
    // A heading with no line after it that fits says nothing.
    if (/[：:]$/.test(line)) {
      const next = rest[rest.indexOf(line) + 1];
      if (!next || out.length + line.length + next.length + 2 > maxChars) break;
    }
    if (out.length + 1 + line.length > maxChars) break;
    out += `\n${line}`;
  }
  return out.replace(/\n[^\n]*[：:]$/, "");
}

/** A text cut at the last sentence end that fits, or at the budget with «…». */
function cutAtSentence(text: string, maxChars: number): string {
  const cut = text.slice(0, Math.max(0, maxChars - 1));
  const end = Math.max(...["。", "；", "！", "？"].map((m) => cut.lastIndexOf(m)));
  return end > cut.length / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
}
