import iconv from "iconv-lite";

/**
 * Decodes bytes that may be UTF-8 (with or without BOM), UTF-16 with BOM, or
 * GBK/GB2312/GB18030 (common in Chinese government files). A declared charset
 * (e.g. from an HTML meta tag) is tried first, but never trusted over invalid bytes.
 */
export function decodeText(bytes: Uint8Array, declared?: string | null): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString("utf8");
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), "utf16le");
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), "utf16be");
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

/** True for data that is not text: NUL bytes or many control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.05;
}
