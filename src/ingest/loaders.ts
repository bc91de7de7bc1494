import mammoth from "mammoth";
import { type HTMLElement, parse as parseHtml } from "node-html-parser";
import { extractText, getDocumentProxy } from "unpdf";
import { parse as parseYaml } from "yaml";
import { decodeText, looksBinary, sniffHtmlCharset } from "./decode.js";

export type SourceFormat = "md" | "txt" | "html" | "pdf" | "docx";

export type LoadedDocument = {
  format: SourceFormat;
  /** Plain text with one paragraph or line per line. */
  text: string;
  /** Front matter (md/txt) or page metadata (html). */
  meta: Record<string, unknown>;
  /** A title the format itself states (HTML <title>, a Markdown # heading). */
  title?: string;
};

export type LoadFailureReason = "empty" | "binary" | "corrupt" | "scanned_pdf" | "unsupported" | "fetch_failed" | "too_large";

export class LoadError extends Error {
  constructor(
    readonly reason: LoadFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export const SUPPORTED_EXTENSIONS: Record<string, SourceFormat> = {
  ".md": "md",
  ".markdown": "md",
  ".txt": "txt",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
  ".docx": "docx",
};

export function formatOf(fileName: string): SourceFormat | undefined {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? undefined : SUPPORTED_EXTENSIONS[fileName.slice(dot).toLowerCase()];
}

export async function loadDocument(fileName: string, bytes: Uint8Array): Promise<LoadedDocument> {
  const format = formatOf(fileName);
  if (!format) throw new LoadError("unsupported", `unsupported file type: ${fileName}`);
  if (bytes.byteLength === 0) throw new LoadError("empty", "the file is empty");
  const doc = await LOADERS[format](bytes);
  if (!doc.text.replace(/\s+/g, "")) throw new LoadError("empty", "the file has no text");
  return doc;
}

const LOADERS: Record<SourceFormat, (bytes: Uint8Array) => Promise<LoadedDocument>> = {
  md: async (bytes) => loadPlain("md", bytes),
  txt: async (bytes) => loadPlain("txt", bytes),
  html: async (bytes) => loadHtml(bytes),
  pdf: loadPdf,
  docx: loadDocx,
};

function loadPlain(format: "md" | "txt", bytes: Uint8Array): LoadedDocument {
  if (looksBinary(bytes)) throw new LoadError("binary", "the file is binary data, not text");
  const raw = decodeText(bytes);
  const split = splitFrontMatter(raw);
  const meta = split.meta;
  const body = format === "md" ? stripMarkdown(split.body) : split.body;
  const heading = format === "md" ? /^#\s+(.+)$/m.exec(body)?.[1]?.trim() : undefined;
  return { format, text: body, meta, title: heading };
}

/** Markdown emphasis, quotes and links carry no policy meaning; headings stay for the chunker. */
function stripMarkdown(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, "$1$2")
    .replace(/^\s*>\s?/gm, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, "");
}

/** Front matter between two `---` lines: YAML, which also reads the JSON headers of the shared corpus. */
export function splitFrontMatter(raw: string): { meta: Record<string, unknown>; body: string } {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(raw);
  if (!m) return { meta: {}, body: raw };
  try {
    const parsed = parseYaml(m[1]);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { meta: parsed as Record<string, unknown>, body: raw.slice(m[0].length) };
    }
  } catch {
    // Not front matter after all: keep the text as it is.
  }
  return { meta: {}, body: raw };
}

const CHROME_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "iframe", "form", "button", "select"];
const CHROME_HINT =
  /(^|[\s_-])(nav|navbar|menu|header|footer|foot|breadcrumb|crumb|sidebar|side|share|toolbar|top|bottom|links?|copyright|location|position)([\s_-]|$)/i;
const CONTENT_SELECTORS = ["article", ".article", "#article", ".TRS_Editor", "#zoom", ".zoom", ".content", "#content", ".main-content", "main", ".main"];
const BLOCK_TAGS = new Set([
  "p",
  "div",
  "br",
  "li",
  "tr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "section",
  "article",
  "table",
  "ul",
  "ol",
  "blockquote",
  "pre",
  "dd",
  "dt",
]);

function loadHtml(bytes: Uint8Array): LoadedDocument {
  if (looksBinary(bytes)) throw new LoadError("binary", "the file is binary data, not text");
  const html = decodeText(bytes, sniffHtmlCharset(bytes));
  const root = parseHtml(html, { comment: false, blockTextElements: { script: false, style: false, pre: true } });
  const meta: Record<string, unknown> = {};
  // Chinese government CMSs publish these meta tags on every article page.
  for (const el of root.querySelectorAll("meta[name]")) {
    const name = el.getAttribute("name")!;
    const content = el.getAttribute("content")?.trim();
    if (!content) continue;
    if (/^ArticleTitle$/i.test(name)) meta.title = content;
    else if (/^PubDate$/i.test(name)) meta.date = content.slice(0, 10);
    else if (/^ContentSource$/i.test(name)) meta.issuer = content;
  }
  const title = articleTitle(root.querySelector("title")?.text ?? "");
  for (const tag of CHROME_TAGS) for (const el of root.querySelectorAll(tag)) el.remove();
  for (const el of root.querySelectorAll("[class], [id]")) {
    const hint = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`;
    if (CHROME_HINT.test(hint) && !CONTENT_SELECTORS.some((s) => el.matches?.(s))) el.remove();
  }
  const main = CONTENT_SELECTORS.map((s) => root.querySelector(s)).find((el) => el && el.text.trim().length > 50);
  const h1 = (main ?? root).querySelector("h1")?.text.trim();
  const text = blockText(main ?? root.querySelector("body") ?? root);
  return { format: "html", text, meta, title: h1 || title };
}

/**
 * A page's <title> is the article's name joined to the site's
 * (「…的通知 - 武汉东湖新技术开发区」, 「…_武汉市科技创新局」): the article's is the longest part.
 */
function articleTitle(raw: string): string | undefined {
  const parts = raw
    .trim()
    .split(/\s+[-–—|｜]\s+|\s*[_｜]\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.sort((a, b) => b.length - a.length)[0];
}

function blockText(el: HTMLElement): string {
  const out: string[] = [];
  const walk = (node: HTMLElement) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out.push(child.text.replace(/\s+/g, " "));
      else if (child.nodeType === 1) {
        const tag = (child as HTMLElement).rawTagName?.toLowerCase();
        const block = tag !== undefined && BLOCK_TAGS.has(tag);
        if (block) out.push("\n");
        walk(child as HTMLElement);
        if (block) out.push("\n");
      }
    }
  };
  walk(el);
  return out
    .join("")
    .replace(/&nbsp;/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");
}

async function loadPdf(bytes: Uint8Array): Promise<LoadedDocument> {
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    pages = (await extractText(pdf, { mergePages: false })).text as string[];
  } catch (err) {
    throw new LoadError("corrupt", `not a readable PDF: ${(err as Error).message}`);
  }
  const chars = pages.join("").replace(/\s+/g, "").length;
  if (pages.length > 0 && chars < 20 * pages.length) {
    throw new LoadError("scanned_pdf", `the PDF has no text layer (${pages.length} pages, ${chars} characters): a scan needs OCR first`);
  }
  return { format: "pdf", text: pages.join("\n"), meta: {} };
}

async function loadDocx(bytes: Uint8Array): Promise<LoadedDocument> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return { format: "docx", text: value.replace(/\n{2,}/g, "\n"), meta: {} };
  } catch (err) {
    throw new LoadError("corrupt", `not a readable DOCX: ${(err as Error).message}`);
  }
}
