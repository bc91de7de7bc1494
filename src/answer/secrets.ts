/**
 * Text that looks like a credential: a model can be talked into repeating
 * one from its context (a poisoned document, a leaked environment), and no
 * answer about policies needs one. Pure, applied to every sentence of a
 * model's answer.
 */
const SECRET_PATTERNS: RegExp[] = [
  // PEM blocks; the sentence buffer keeps an open block together until its END line.
  /-----(?:BEGIN|END)[A-Z ]*PRIVATE KEY-----/,
  // Provider keys: OpenAI-style sk-…, this service's pm_<id>_<secret>, AWS access key ids, GitHub and Slack tokens, Google API keys.
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\bpm_[a-z0-9]{8,}_[A-Za-z0-9_-]{16,}/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\b(?:ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\bAIza[0-9A-Za-z_-]{30,}/,
  // A JSON web token: three base64url parts, the first two JSON objects.
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  /\bBearer\s+[A-Za-z0-9._~+/-]{12,}/i,
  // An assignment to a secret-named variable: API_KEY=…, password: …, "client_secret": "…"
  /\b[A-Za-z0-9_]*(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|credential)s?["']?\s*[=:：]\s*["']?[^\s"'，。；]{4,}/i,
  /(?:密码|口令|密钥|私钥)\s*[=:：]\s*[A-Za-z0-9!@#$%^&*_+.\-/]{6,}/,
];

/** A long run of key material (base64 or hex) with upper and lower case letters and digits, outside a URL. */
function looksLikeKeyMaterial(text: string): boolean {
  for (const m of text.matchAll(/(?<![\w/.:-])[A-Za-z0-9+/]{40,}={0,2}/g)) {
    const run = m[0];
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run)) return true;
  }
  return false;
}

export function looksSecret(text: string): boolean {
  return SECRET_PATTERNS.some((p) => p.test(text)) || looksLikeKeyMaterial(text);
}
