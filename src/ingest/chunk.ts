export type Chunk = { position: number; heading: string | null; text: string };
export type ChunkOptions = { maxChars?: number; overlapChars?: number; title?: string };

export type Para = { text: string; kind: "heading" | "item" | "text"; level: number };

const CN_NUM = "一二三四五六七八九十百零〇";
// Heading-capable markers with their nesting level (lower is outer).
const MARKERS: Array<[RegExp, number]> = [
  [new RegExp(`^第[${CN_NUM}\\d]+[编章]`), 1],
  [new RegExp(`^第[${CN_NUM}\\d]+节`), 2],
  [new RegExp(`^[${CN_NUM}]+[、．.]`), 2],
  [new RegExp(`^[（(][${CN_NUM}]+[）)]`), 3],
];
const ITEM = new RegExp(`^(第[${CN_NUM}\\d]+条|\\d{1,2}\\s*[．.、](?!\\d)|[（(]\\d{1,2}[）)]|[①-⑳]|[${CN_NUM}]+[、．.]|[（(][${CN_NUM}]+[）)])`);
const TINY = 80;
const CARD_MARKER = /^【([^】]{1,12})】\s*$/;
// The process cell: its steps are what a «怎么申请» answer quotes, in order, from the first.
const PROCESS_MARKER = /流程|程序/;
const MD_HEADING = /^(#{1,6})\s+(.+)$/;
const SENTENCE_END = /[。！？；;!?：:」”]$/;
// A line ending like this cannot end a paragraph, even if the next line looks like an item.
const DANGLING = /[、，,（(和与及或的]$/;
// PDF and table exports wrap lines at full width: a long unfinished line goes on below.
const WRAPPED_LINE = 25;

/** Splits a line-broken text into logical paragraphs, rejoining lines broken mid-sentence. */
export function toParagraphs(body: string, title?: string): Para[] {
  const lines = body
    .replace(/\r\n?/g, "\n")
    .replace(/\u3000/g, " ")
    .split("\n")
    .map((l) => l.trim());
  const paras: Para[] = [];
  let lastLine = ""; // last body line, "" after a heading or a finished sentence
  let blankSince = false;
  for (const line of lines) {
    if (!line) {
      blankSince = true;
      continue;
    }
    const md = MD_HEADING.exec(line);
    const card = CARD_MARKER.exec(line);
    if (md || card) {
      const text = md ? md[2].trim() : card![1];
      const heading: Para = { text, kind: "heading", level: md ? Math.min(md[1].length, 3) : 2 };
      // A PDF card puts its marker at the middle of its cell: where a numbered list starts again above it
      // («2．…3．…» of the support cell, then «1．发布通知。»), the marker's own cell starts there.
      const at = card && PROCESS_MARKER.test(text) ? cellStart(paras) : -1;
      if (title && text === title) {
        // the document's own title is no section
      } else if (at >= 0) paras.splice(at, 0, heading);
      else paras.push(heading);
      // A card marker may sit mid-sentence (PDF table cells): the sentence may go on after it.
      if (md) lastLine = "";
      blankSince = false;
      continue;
    }
    const last = lastBodyPara(paras);
    const open = lastLine !== "" && !SENTENCE_END.test(lastLine);
    const continues = last !== undefined && open && (DANGLING.test(lastLine) || ((!blankSince || lastLine.length >= WRAPPED_LINE) && !ITEM.test(line)));
    blankSince = false;
    if (continues) {
      last.text += line;
      lastLine = line;
      continue;
    }
    if (title && paras.length === 0 && line === title) continue;
    const headingLevel = MARKERS.find(([re]) => re.test(line))?.[1];
    if (headingLevel && line.length <= 30 && !SENTENCE_END.test(line)) {
      paras.push({ text: line, kind: "heading", level: headingLevel });
      lastLine = "";
    } else {
      paras.push({ text: line, kind: ITEM.test(line) ? "item" : "text", level: 9 });
      lastLine = line;
    }
  }
  return paras;
}

/** «3．» → [3, "digit"], «（二）» → [2, "paren-han"]; undefined when the paragraph is no list item. */
function listNumber(text: string): [number, string] | undefined {
  const m = /^(?:(\d{1,2})\s*[．.、](?!\d)|([一二三四五六七八九十])[、．.])/.exec(text);
  if (!m) return undefined;
  return m[1] ? [Number(m[1]), "digit"] : [" 一二三四五六七八九十".indexOf(m[2]), "han"];
}

/**
 * Where, among the paragraphs since the last heading, a numbered list starts again: the first item «1．»
 * after an item numbered higher in the same style. -1 when it does not.
 */
function cellStart(paras: Para[]): number {
  let from = paras.length;
  while (from > 0 && paras[from - 1].kind !== "heading") from--;
  let highest = new Map<string, number>();
  let restart = -1;
  for (let i = from; i < paras.length; i++) {
    const n = listNumber(paras[i].text);
    if (!n) continue;
    if (n[0] === 1 && (highest.get(n[1]) ?? 0) > 1) {
      restart = i;
      highest = new Map();
    }
    highest.set(n[1], Math.max(highest.get(n[1]) ?? 0, n[0]));
  }
  return restart;
}

function lastBodyPara(paras: Para[]): Para | undefined {
  // A card marker between two halves of a sentence is skipped over.
  for (let i = paras.length - 1; i >= 0; i--) {
    const p = paras[i];
    if (p.kind !== "heading") return p;
    if (!CARD_MARKER.test(`【${p.text}】`) || p.level !== 2) return undefined;
  }
  return undefined;
}

/** Packs the sentences of one over-long paragraph into pieces of at most max characters. */
function splitLongParagraph(text: string, max: number): string[] {
  const units = text.split(/(?<=[。；！？!?])/).flatMap((sentence) => {
    if (sentence.length <= max) return [sentence];
    const clauses = sentence.split(/(?<=[，,、])/);
    return clauses.flatMap((c) => (c.length <= max ? [c] : (c.match(new RegExp(`[\\s\\S]{1,${max}}`, "g")) ?? [])));
  });
  const pieces: string[] = [];
  let piece = "";
  for (const u of units) {
    if (piece && piece.length + u.length > max) {
      pieces.push(piece);
      piece = "";
    }
    piece += u;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * Chinese-aware chunking that follows policy structure (章/条, 一、/（一）/1．, 【…】):
 * whole paragraphs and numbered conditions are packed into chunks of at most
 * maxChars, one section per chunk (a section of under TINY characters joins the
 * next), each carrying its section heading; only a single paragraph longer than
 * maxChars is cut, at sentence ends.
 */
export async function chunkPolicyText(body: string, options: ChunkOptions = {}): Promise<Chunk[]> {
  const max = options.maxChars ?? 600;
  const overlap = options.overlapChars ?? 60;
  const paras = toParagraphs(body, options.title);
  const chunks: Chunk[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: { heading: string | null; parts: string[]; size: number } | null = null;

  let article: string | null = null; // the 第X条 a chunk starts in, for texts without headings
  const headingPath = () => {
    const parts = stack.map((h) => h.text);
    if (article) parts.push(article);
    return parts.length ? parts.join(" > ") : null;
  };
  const flush = () => {
    if (current && current.size > 0) {
      chunks.push({ position: chunks.length, heading: current.heading, text: current.parts.join("\n") });
    }
    current = null;
  };
  const tail = (text: string) => {
    if (overlap <= 0 || text.length <= overlap) return "";
    const cut = text.slice(-overlap);
    const sentenceStart = cut.search(/[。；！？]/);
    return sentenceStart >= 0 && sentenceStart < cut.length - 1 ? cut.slice(sentenceStart + 1) : "";
  };

  for (const p of paras) {
    if (p.kind === "heading") {
      while (stack.length && stack[stack.length - 1].level >= p.level) stack.pop();
      stack.push({ level: p.level, text: p.text });
      article = null;
      // A new section starts a new chunk; only a tiny remainder (a one-line section) is carried along.
      if (current && (current as { size: number }).size >= TINY) flush();
      else if (current) (current as { heading: string | null }).heading = null;
      continue;
    }
    const articleMatch = /^第[一二三四五六七八九十百零〇\d]+条/.exec(p.text);
    if (articleMatch) article = articleMatch[0];
    const pieces = p.text.length > max ? splitLongParagraph(p.text, max) : [p.text];
    for (const piece of pieces) {
      if (current && current.size + piece.length + 1 > max) {
        const prev: string = current.parts[current.parts.length - 1];
        const keepHeading: string | null = current.heading;
        flush();
        const carried = p.kind === "item" || pieces.length > 1 ? "" : tail(prev);
        current = { heading: headingPath() ?? keepHeading, parts: carried ? [carried] : [], size: carried.length };
      }
      if (!current) current = { heading: headingPath(), parts: [], size: 0 };
      else if (current.heading === null) current.heading = headingPath();
      current.parts.push(piece);
      current.size += piece.length + 1;
    }
  }
  flush();
  return chunks;
}
