import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Queryable } from "../db/db.js";
import { hasActiveKeys, insertApiKey, keyWithSecretHash, listApiKeys, revokeApiKey, widgetOrigins } from "../db/key-store.js";
import { type ApiKey, type Scope, Scopes } from "./api-key.js";

export { type ApiKey, type Scope, Scopes } from "./api-key.js";
export { hasActiveKeys, listApiKeys, revokeApiKey, widgetOrigins };

/** The tenant of the embedded demo, which runs without keys on localhost. */
export const OPEN_TENANT = "public";
/** What a key in a web page may do: it is public by nature. */
export const WIDGET_SCOPES: Scope[] = ["chat", "match"];

export const NewKeySchema = z
  .object({
    tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "tenant: lowercase letters, digits, - and _ (up to 63)"),
    name: z.string().max(200).default(""),
    scopes: z.array(z.enum(Scopes)).min(1, "scopes: at least one of chat, match, policies:read, admin"),
    kind: z.enum(["server", "widget"]).default("server"),
    allowedOrigins: z
      .array(
        z
          .string()
          .url()
          .transform((u) => new URL(u).origin),
      )
      .default([]),
    ratePerMinute: z.number().int().min(1).max(1_000_000),
    dailyQuota: z.number().int().min(1).max(100_000_000),
  })
  .superRefine((k, ctx) => {
    if (k.kind === "widget") {
      if (k.allowedOrigins.length === 0)
        ctx.addIssue({ code: "custom", path: ["allowedOrigins"], message: "a widget key needs the origins of the sites that embed it" });
      const extra = k.scopes.filter((s) => !WIDGET_SCOPES.includes(s));
      if (extra.length) ctx.addIssue({ code: "custom", path: ["scopes"], message: `a widget key is public: only chat and match, not ${extra.join(", ")}` });
    }
  });
export type NewKey = z.input<typeof NewKeySchema>;

/** A key as presented: pm_<id>_<secret>. Only the id and a hash of the secret are stored. */
const KEY_FORMAT = /^pm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export async function createApiKey(db: Queryable, input: NewKey): Promise<{ key: ApiKey; secret: string }> {
  const k = NewKeySchema.parse(input);
  const id = randomBytes(9)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0")
    .slice(0, 12);
  const secret = randomBytes(32).toString("base64url");
  const key = await insertApiKey(db, {
    id,
    tenantId: k.tenant,
    name: k.name,
    secretHash: hashSecret(secret),
    kind: k.kind,
    scopes: k.scopes,
    allowedOrigins: k.allowedOrigins,
    ratePerMinute: k.ratePerMinute,
    dailyQuota: k.dailyQuota,
  });
  return { key, secret: `pm_${id}_${secret}` };
}

/** The live key a presented string stands for; undefined for a malformed, unknown, wrong or revoked one. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKey | undefined> {
  const m = KEY_FORMAT.exec(presented.trim());
  if (!m) return undefined;
  const found = await keyWithSecretHash(db, m[1]);
  if (!found) return undefined;
  const expected = Buffer.from(found.secretHash, "hex");
  const actual = Buffer.from(hashSecret(m[2]), "hex");
  if (!timingSafeEqual(expected, actual) || found.key.revokedAt) return undefined;
  return found.key;
}
