import { CITATION_PATTERN } from "./grounding.js";

/**
 * The answer as plain text for channels that show no markup and cap message
 * length (WeChat replies): citations and list markers go, and a long answer
 * is cut at the last sentence that fits, saying where the rest is.
 */
export function toPlainText(answer: string, maxChars: number): string {
  const text = answer
    .replace(new RegExp(String.raw`\s*${CITATION_PATTERN}`, "g"), "")
    .replace(/^\s*#{1,6}\s*/gm, "")
    .replace(/\*\*|__|`/g, "")
    .replace(/^[ \t]+/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (text.length <= maxChars) return text;
  const more = "…（完整内容见政策卡片）";
  const room = Math.max(0, maxChars - more.length);
  const cut = text.slice(0, room);
  const end = Math.max(...["。", "；", "！", "？", "\n"].map((m) => cut.lastIndexOf(m)));
  return `${(end > room / 2 ? cut.slice(0, end + 1) : cut).trimEnd()}${more}`;
}
