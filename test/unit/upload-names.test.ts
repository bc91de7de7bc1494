import { describe, expect, it } from "vitest";
import { uploadFileName } from "../../src/admin/uploads.js";

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("the names uploaded files are stored under", () => {
  it("keeps a short name as it is, without folders or climbing", () => {
    expect(uploadFileName("上传-科技保险.md")).toBe("上传-科技保险.md");
    expect(uploadFileName("../../etc/关于 申报.pdf")).toBe("关于_申报.pdf");
    expect(uploadFileName("..hidden.txt")).toBe("_hidden.txt");
  });

  it("shortens a 300-character name to 255 bytes, keeping its extension and a hash that tells names apart", () => {
    const long = `${"a".repeat(299)}.docx`;
    const other = `${"a".repeat(298)}b.docx`;
    const [a, b] = [uploadFileName(long), uploadFileName(other)];
    expect(bytes(a)).toBeLessThanOrEqual(255);
    expect(a).toMatch(/^a+-[0-9a-f]{10}\.docx$/);
    expect(a).not.toBe(b);
    expect(uploadFileName(long)).toBe(a);
    // The stem becomes a policy id, which the API takes up to 200 characters.
    expect(a.length - ".docx".length).toBeLessThanOrEqual(200);
  });

  it("counts UTF-8 bytes for Chinese names and never cuts a character in half", () => {
    const name = `${"武汉市科技企业研发投入补贴实施细则".repeat(10)}.pdf`;
    expect(bytes(name)).toBeGreaterThan(255);
    const short = uploadFileName(name);
    expect(bytes(short)).toBeLessThanOrEqual(255);
    expect(short).toMatch(/^武汉市科技企业[\p{Script=Han}]+-[0-9a-f]{10}\.pdf$/u);
    expect(Buffer.from(short, "utf8").toString("utf8")).toBe(short);
    const astral = uploadFileName(`${"𠀀".repeat(100)}.txt`);
    expect(bytes(astral)).toBeLessThanOrEqual(255);
    expect(astral).toMatch(/^(𠀀)+-[0-9a-f]{10}\.txt$/u);
  });
});
