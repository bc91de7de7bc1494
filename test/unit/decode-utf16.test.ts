import { describe, expect, it } from "vitest";
import { decodeText, looksBinary } from "../../src/ingest/decode.js";
import { loadDocument } from "../../src/ingest/loaders.js";

const TEXT = "关于组织申报2026年度高新技术企业认定奖励的通知\n一、申报条件\n在武汉市注册的企业（R&D投入占比3%以上）。\n";

/** UTF-16 with its byte-order mark, as Windows Notepad saves "Unicode" files. */
function utf16(text: string, order: "le" | "be"): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const [first, second] = order === "le" ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff];
    out[2 + 2 * i] = first;
    out[3 + 2 * i] = second;
  }
  return out;
}

describe("UTF-16 files with a byte-order mark", () => {
  for (const order of ["le", "be"] as const) {
    it(`reads a UTF-16 ${order.toUpperCase()} text file rather than calling it binary`, async () => {
      const bytes = utf16(TEXT, order);
      expect(bytes).toContain(0);
      expect(looksBinary(bytes)).toBe(false);
      expect(decodeText(bytes)).toBe(TEXT);
      const doc = await loadDocument("notice.txt", bytes);
      expect(doc.text).toBe(TEXT);
      // What merely starts like a mark and holds NUL characters is still binary.
      expect(looksBinary(new Uint8Array([...bytes.subarray(0, 2), 0, 0, 0, 1, 0, 2]))).toBe(true);
    });
  }

  it("reads a UTF-16 LE HTML page and a UTF-16 BE Markdown file", async () => {
    const html = await loadDocument(
      "notice.html",
      utf16(
        `<html><head><title>标题</title></head><body><div class="article"><h1>科技企业研发补助通知</h1><p>一、申报条件</p><p>在武汉市注册的科技企业，研发投入占营业收入比例不低于3%。</p></div></body></html>`,
        "le",
      ),
    );
    expect(html.title).toBe("科技企业研发补助通知");
    expect(html.text).toContain("研发投入占营业收入比例不低于3%。");
    const md = await loadDocument("notice.md", utf16("---\ntitle: 研发补助\n---\n# 研发补助\n\n**给予最高20万元补助。**\n", "be"));
    expect(md.meta.title).toBe("研发补助");
    expect(md.text).toContain("给予最高20万元补助。");
  });
});
