import iconv from "iconv-lite";

/**
 * Decodes bytes that may be UTF-8 (with or without BOM), UTF-16 with BOM, or
 * GBK/GB2312/GB18030 (common in Chinese government files). A declared charset
 * (e.g. from an HTML meta tag) is tried first, but never trusted over invalid bytes.
 */
export function decodeText(bytes: Uint8Array, declared?: string | null): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString("utf8");
  const utf16 = utf16Of(buf);
  if (utf16) return iconv.decode(buf.subarray(2), utf16);
  const label = declared?.toLowerCase().trim();
  if (label && /^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(label)) {
    return iconv.decode(buf, "gb18030");
  }
  const utf8 = tryUtf8(buf);
  if (utf8 !== null) return utf8;
  // GB18030 is a superset of GBK and GB2312.
  return iconv.decode(buf, "gb18030");
}

function tryUtf8(buf: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

/** A charset named in the first bytes of an HTML document, if any. */
export function sniffHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return m ? m[1] : null;
}

/** The UTF-16 byte order a BOM announces, if any. */
function utf16Of(bytes: Uint8Array): "utf16le" | "utf16be" | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf16be";
  return null;
}

/**
 * True for data that is not text: NUL or many control characters. UTF-16 (with
 * its BOM) is judged by its characters, not its bytes: half of them are NUL in
 * Latin text and many are in Chinese text.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const utf16 = utf16Of(bytes);
  const sample = bytes.subarray(0, 8192);
  const codes: Iterable<number> = utf16
    ? Array.from(iconv.decode(Buffer.from(sample.subarray(2, sample.length - (sample.length % 2))), utf16), (ch) => ch.codePointAt(0)!)
    : sample;
  let control = 0,
    n = 0;
  for (const c of codes) {
    n++;
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32)) control++;
  }
  return n > 0 && control / n > 0.05;
}
