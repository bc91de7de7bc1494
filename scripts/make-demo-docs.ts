/**
 * Regenerates the binary / legacy-encoded files of the demo policy library.
 *
 *   npx tsx scripts/make-demo-docs.ts            # write every output below
 *   npx tsx scripts/make-demo-docs.ts --verify   # only check the checked-in outputs
 *
 * Inputs live in data/sources/ (all UTF-8), outputs go to data/policies/:
 *   - <name>.txt            -> data/policies/<name>.docx  (npm "docx")
 *   - <name>.txt            -> data/policies/<name>.pdf   (npm "pdfkit", CJK font embedded as a subset)
 *   - <name>.utf8.txt/.html -> data/policies/<name>.txt/.html re-encoded to GB18030 / GB2312
 *
 * Source format: first non-empty line is the title, every following line is one
 * paragraph. Lines such as "第一章 总则", "一、申报条件" or "【申报条件】" become headings;
 * a 文号 line right after the title is centred; the closing issuer/date lines are
 * right-aligned.
 *
 * The generated files are committed; CI does not run this script. PDF output needs a
 * CJK TrueType font (Debian: `apt-get install -y fonts-wqy-microhei`), or set
 * DEMO_CJK_FONT=/path/to/font.ttf|ttc (with DEMO_CJK_FONT_NAME for a .ttc member).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import iconv from "iconv-lite";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = path.join(ROOT, "data", "sources");
const OUT = path.join(ROOT, "data", "policies");

/** Which source becomes which output. */
const DOCX = ["wh-new-rd-institution-2026", "wh-enterprise-rd-center-2025", "sh-xh-ai-model-2027"];
const PDF = ["wh-knowledge-value-loan-2026", "hb-engineering-center-2027", "wh-major-projects-2027"];
const LEGACY: { src: string; out: string; encoding: "gb18030" | "gb2312" }[] = [
  { src: "wh-postdoc-2026-gbk.utf8.txt", out: "wh-postdoc-2026-gbk.txt", encoding: "gb18030" },
  { src: "wh-scenario-open-2026-gbk.utf8.html", out: "wh-scenario-open-2026-gbk.html", encoding: "gb2312" },
];

/** Publication date per PDF, used for the PDF info dictionary so re-runs are stable. */
const PDF_DATES: Record<string, string> = {
  "wh-knowledge-value-loan-2026": "2026-06-10",
  "hb-engineering-center-2027": "2026-11-10",
  "wh-major-projects-2027": "2026-11-21",
};

const FONT_CANDIDATES: { file: string; name?: string }[] = [
  { file: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", name: "WenQuanYiMicroHei" },
  { file: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", name: "WenQuanYiZenHei" },
  { file: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", name: "NotoSansCJKsc-Regular" },
];

type Kind = "title" | "docno" | "h1" | "h2" | "h3" | "body" | "sign";
interface Block {
  kind: Kind;
  text: string;
}

const CN_NUM = "一二三四五六七八九十百";
const RE_DOCNO = /〔\d{4}〕\d+号$|公告\d{4}年第\d+号$/;
const RE_CHAPTER = new RegExp(`^第[${CN_NUM}]+章`);
const RE_SECTION = new RegExp(`^[${CN_NUM}]+、`);
const RE_CARD = /^【[^】]{2,16}】$/;
const RE_SUB = new RegExp(`^（[${CN_NUM}]+）`);
const RE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

export function parseSource(text: string): Block[] {
  const lines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length === 0) throw new Error("empty source");
  const hasChapters = lines.some((l) => RE_CHAPTER.test(l));
  const blocks: Block[] = lines.map((line, i): Block => {
    if (i === 0) return { kind: "title", text: line };
    if (i <= 2 && RE_DOCNO.test(line)) return { kind: "docno", text: line };
    if (RE_CHAPTER.test(line)) return { kind: "h1", text: line };
    if (RE_SECTION.test(line) && line.length <= 30 && !/[。；]$/.test(line)) return { kind: hasChapters ? "h2" : "h1", text: line };
    if (RE_CARD.test(line)) return { kind: "h1", text: line };
    if (RE_SUB.test(line) && line.length <= 20 && !/[。；：]/.test(line)) return { kind: "h3", text: line };
    return { kind: "body", text: line };
  });
  // Issuer line(s) + date at the very end form the signature block.
  const last = blocks.length - 1;
  if (RE_DATE.test(blocks[last].text)) {
    blocks[last].kind = "sign";
    for (let j = last - 1; j > 0; j--) {
      const t = blocks[j].text;
      if (blocks[j].kind === "body" && t.length <= 40 && !/[。；：，:]/.test(t)) blocks[j].kind = "sign";
      else break;
    }
  }
  // A short issuer/date line directly under the 文号 (e.g. "…局 2026年6月10日印发") is centred too.
  for (let j = 1; j <= 3 && j < blocks.length; j++) {
    const b = blocks[j];
    if (b.kind === "body" && /\d{4}年\d{1,2}月\d{1,2}日(印发)?$/.test(b.text) && b.text.length <= 60) b.kind = "docno";
  }
  return blocks;
}

function readSource(name: string): Block[] {
  return parseSource(fs.readFileSync(path.join(SOURCES, `${name}.txt`), "utf8"));
}

// ---------------------------------------------------------------- docx

const DOCX_FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "宋体" };
const DOCX_HEAD_FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "黑体" };

function docxParagraph(b: Block): Paragraph {
  switch (b.kind) {
    case "title":
      return new Paragraph({
        heading: HeadingLevel.TITLE,
        alignment: AlignmentType.CENTER,
        spacing: { after: 240 },
        children: [new TextRun({ text: b.text, bold: true, size: 36, font: DOCX_HEAD_FONT })],
      });
    case "docno":
      return new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 240 },
        children: [new TextRun({ text: b.text, size: 28, font: DOCX_FONT })],
      });
    case "h1":
    case "h2":
    case "h3": {
      const heading = b.kind === "h1" ? HeadingLevel.HEADING_1 : b.kind === "h2" ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
      return new Paragraph({
        heading,
        alignment: b.kind === "h1" && RE_CHAPTER.test(b.text) ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: { before: 200, after: 120 },
        children: [new TextRun({ text: b.text, bold: true, size: b.kind === "h1" ? 30 : 28, font: DOCX_HEAD_FONT })],
      });
    }
    case "sign":
      return new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [new TextRun({ text: b.text, size: 28, font: DOCX_FONT })],
      });
    default:
      return new Paragraph({
        indent: { firstLine: 560 },
        spacing: { line: 400 },
        children: [new TextRun({ text: b.text, size: 28, font: DOCX_FONT })],
      });
  }
}

async function makeDocx(name: string): Promise<string> {
  const blocks = readSource(name);
  const doc = new Document({
    creator: "policy-match demo generator",
    title: blocks[0].text,
    description: "Fictional demo policy document (not an official text).",
    styles: { default: { document: { run: { font: DOCX_FONT, size: 28 } } } },
    sections: [{ properties: {}, children: blocks.map(docxParagraph) }],
  });
  const buf = await Packer.toBuffer(doc);
  const out = path.join(OUT, `${name}.docx`);
  fs.writeFileSync(out, buf);
  return out;
}

// ---------------------------------------------------------------- pdf

function findFont(): { file: string; name?: string } | null {
  const env = process.env.DEMO_CJK_FONT;
  if (env) {
    if (!fs.existsSync(env)) return null;
    return { file: env, name: process.env.DEMO_CJK_FONT_NAME };
  }
  return FONT_CANDIDATES.find((c) => fs.existsSync(c.file)) ?? null;
}

async function makePdf(name: string, font: { file: string; name?: string }): Promise<string> {
  // pdfkit ships no type declarations and @types/pdfkit is not a dependency: load it untyped.
  const pdfkitModule = "pdfkit";
  // biome-ignore lint/suspicious/noExplicitAny: untyped by the comment above
  const { default: PDFDocument } = (await import(pdfkitModule)) as { default: any };
  const blocks = readSource(name);
  const date = new Date(`${PDF_DATES[name] ?? "2026-01-01"}T09:00:00+08:00`);
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 72, bottom: 72, left: 80, right: 80 },
    info: {
      Title: blocks[0].text,
      Author: "policy-match demo generator",
      Subject: "Fictional demo policy document (not an official text)",
      CreationDate: date,
      ModDate: date,
    },
    lang: "zh-CN",
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve) => doc.on("end", () => resolve()));

  if (font.name) doc.registerFont("cjk", font.file, font.name);
  else doc.registerFont("cjk", font.file);
  doc.font("cjk");

  const BODY = 12;
  for (const b of blocks) {
    switch (b.kind) {
      case "title":
        doc.fontSize(18).text(b.text, { align: "center", lineGap: 6 });
        doc.moveDown(0.6);
        break;
      case "docno":
        doc.fontSize(BODY).text(b.text, { align: "center" });
        doc.moveDown(0.6);
        break;
      case "h1":
        doc.moveDown(0.4);
        doc.fontSize(14).text(b.text, { align: RE_CHAPTER.test(b.text) ? "center" : "left", lineGap: 4 });
        doc.moveDown(0.2);
        break;
      case "h2":
      case "h3":
        doc.fontSize(13).text(b.text, { lineGap: 4 });
        break;
      case "sign":
        doc.fontSize(BODY).text(b.text, { align: "right", lineGap: 4 });
        break;
      default:
        doc.fontSize(BODY).text(b.text, { indent: BODY * 2, lineGap: 5, paragraphGap: 3 });
    }
  }
  doc.end();
  await finished;
  const out = path.join(OUT, `${name}.pdf`);
  fs.writeFileSync(out, Buffer.concat(chunks));
  return out;
}

// ---------------------------------------------------------------- legacy encodings

function makeLegacy(item: (typeof LEGACY)[number]): string {
  const text = fs.readFileSync(path.join(SOURCES, item.src), "utf8");
  const bytes = iconv.encode(text, item.encoding);
  // iconv-lite silently substitutes "?" for unencodable characters: refuse that.
  if (iconv.decode(bytes, item.encoding) !== text) {
    throw new Error(`${item.src}: contains characters that ${item.encoding} cannot encode`);
  }
  const out = path.join(OUT, item.out);
  fs.writeFileSync(out, bytes);
  return out;
}

// ---------------------------------------------------------------- verification

/** Reads every generated file back and checks that the title and a condition line survive. */
async function verify(): Promise<boolean> {
  const { extractText, getDocumentProxy } = await import("unpdf");
  const mammoth = (await import("mammoth")).default;
  const norm = (s: string) => s.replace(/\s+/g, "");
  let ok = true;
  const check = (file: string, text: string, name: string) => {
    const blocks = readSource(name);
    const title = blocks[0].text;
    // The first numbered condition-like line ("1．…" or "（一）…") in the source.
    const cond = blocks.find((b) => b.kind === "body" && /^(\d+．|（[一二三四五六七八九十]+）)/.test(b.text))?.text ?? "";
    const t = norm(text);
    const problems: string[] = [];
    if (!t.includes(norm(title))) problems.push("title missing");
    if (!cond || !t.includes(norm(cond))) problems.push(`condition line missing: ${cond.slice(0, 30)}`);
    if (/\uFFFD/.test(text)) problems.push("replacement characters (mojibake)");
    const size = fs.statSync(file).size;
    if (file.endsWith(".pdf") && size > 300 * 1024) problems.push(`too large: ${size} bytes`);
    console.log(`${problems.length ? "FAIL" : "ok  "} ${path.relative(ROOT, file)} (${size} bytes)${problems.length ? " — " + problems.join("; ") : ""}`);
    if (problems.length) ok = false;
  };
  for (const name of PDF) {
    const file = path.join(OUT, `${name}.pdf`);
    const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(file)));
    const { text } = await extractText(pdf, { mergePages: true });
    check(file, text, name);
  }
  for (const name of DOCX) {
    const file = path.join(OUT, `${name}.docx`);
    const { value } = await mammoth.extractRawText({ buffer: fs.readFileSync(file) });
    check(file, value, name);
  }
  for (const item of LEGACY) {
    const file = path.join(OUT, item.out);
    const expected = fs.readFileSync(path.join(SOURCES, item.src), "utf8");
    const same = iconv.decode(fs.readFileSync(file), item.encoding) === expected;
    console.log(`${same ? "ok  " : "FAIL"} ${path.relative(ROOT, file)} (${item.encoding} round trip)`);
    if (!same) ok = false;
  }
  return ok;
}

// ---------------------------------------------------------------- main

async function main() {
  const verifyOnly = process.argv.includes("--verify");
  if (!verifyOnly) {
    const font = findFont();
    if (!font) {
      console.error(
        [
          "ERROR: no CJK font found, cannot generate the PDF files.",
          "  Install one:   apt-get update && apt-get install -y fonts-wqy-microhei",
          "  or point to one: DEMO_CJK_FONT=/path/to/font.ttf npx tsx scripts/make-demo-docs.ts",
          `  (looked for: ${FONT_CANDIDATES.map((c) => c.file).join(", ")})`,
          "The checked-in PDFs in data/policies/ are unchanged.",
        ].join("\n"),
      );
      process.exit(2);
    }
    fs.mkdirSync(OUT, { recursive: true });
    for (const name of DOCX) console.log("wrote", path.relative(ROOT, await makeDocx(name)));
    for (const name of PDF) console.log("wrote", path.relative(ROOT, await makePdf(name, font)), `(font: ${font.file})`);
    for (const item of LEGACY) console.log("wrote", path.relative(ROOT, makeLegacy(item)), `(${item.encoding})`);
  }
  const ok = await verify();
  if (!ok) {
    console.error("verification failed");
    process.exit(1);
  }
}

await main();
