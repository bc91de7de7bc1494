import * as OpenCC from "opencc-js/t2cn";

// Taiwan and Hong Kong phrasing (軟體 → 软件) as well as characters.
const toSimplified = OpenCC.Converter({ from: "twp", to: "cn" });

/** Full-width letters, digits and signs (ＡＢＣ１２３％) as ASCII; Chinese punctuation is kept as it is. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF05\uFF0B\uFF0D\uFF0E\uFF0F\uFF1C\uFF1D\uFF1E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

/** A message as every later stage reads it: simplified characters, half-width letters and digits. */
export function normalizeText(text: string): string {
  return halfWidth(toSimplified(text));
}
