import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeText, looksBinary, sniffHtmlCharset } from "../../src/ingest/decode.js";
import { LoadError, loadDocument } from "../../src/ingest/loaders.js";

const TEXT = "关于组织申报2026年度高新技术企业认定奖励的通知";

describe("decoding Chinese files", () => {
  it("decodes GB18030/GBK text without a declaration", () => {
    expect(decodeText(iconv.encode(TEXT, "gb18030"))).toBe(TEXT);
    expect(decodeText(iconv.encode(TEXT, "gbk"))).toBe(TEXT);
  });

  it("honours an HTML page that declares gb2312", async () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>${TEXT}</title></head><body><nav>首页 | 政务公开</nav><div class="article"><h1>${TEXT}</h1><p>一、申报条件</p><p>企业在武汉市注册。</p></div><div class="footer">版权所有</div></body></html>`;
    const bytes = iconv.encode(html, "gbk");
    expect(sniffHtmlCharset(bytes)).toBe("gb2312");
    const doc = await loadDocument("notice.html", bytes);
    expect(doc.title).toBe(TEXT);
    expect(doc.text).toContain("企业在武汉市注册。");
    expect(doc.text).not.toContain("版权所有");
    expect(doc.text).not.toContain("政务公开");
  });

  it("keeps UTF-8 with a BOM", () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toBe(TEXT);
  });

  it("reports binary junk, an empty file and a broken PDF as load errors with reasons", async () => {
    expect(looksBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]))).toBe(true);
    await expect(loadDocument("junk.txt", Buffer.from([1, 2, 3, 0, 5]))).rejects.toMatchObject({ reason: "binary" });
    await expect(loadDocument("empty.md", new Uint8Array())).rejects.toMatchObject({ reason: "empty" });
    await expect(loadDocument("broken.pdf", Buffer.from("%PDF-1.7\nthis is not really a pdf"))).rejects.toBeInstanceOf(LoadError);
    await expect(loadDocument("broken.pdf", Buffer.from("%PDF-1.7\nthis is not really a pdf"))).rejects.toMatchObject({ reason: "corrupt" });
  });
});
