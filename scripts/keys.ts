/**
 * API keys, per tenant:
 *   npm run keys -- create --tenant acme --scopes chat,match [--name 小程序后端] [--rate 120] [--daily 20000]
 *   npm run keys -- create --tenant acme --widget --origins https://www.example.gov.cn [--scopes chat,match]
 *   npm run keys -- list [--tenant acme]
 *   npm run keys -- revoke <key id>
 * The secret is printed once; only its hash is stored. On the embedded
 * default (PGlite) stop the server first: one process owns its folder.
 */
import { mkdir } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../src/access/keys.js";
import { openDb } from "../src/db/index.js";
import { ConfigError, parseEnv } from "../src/env.js";

const USAGE = `usage:
  npm run keys -- create --tenant <id> --scopes chat,match,policies:read,admin [--name <text>] [--rate <per minute>] [--daily <per day>]
  npm run keys -- create --tenant <id> --widget --origins <https://site,…> [--scopes chat,match]
  npm run keys -- list [--tenant <id>]
  npm run keys -- revoke <key id>`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      scopes: { type: "string" },
      name: { type: "string", default: "" },
      widget: { type: "boolean", default: false },
      origins: { type: "string", default: "" },
      rate: { type: "string" },
      daily: { type: "string" },
    },
  });
  const [command, ...rest] = positionals;
  if (!["create", "list", "revoke"].includes(command ?? "")) {
    console.error(USAGE);
    return 2;
  }
  const env = parseEnv({ LOG_LEVEL: "warn", ...process.env });
  if (!env.DATABASE_URL && env.DATA_DIR !== "memory://") await mkdir(env.DATA_DIR, { recursive: true });
  const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  try {
    if (command === "create") {
      const list = (s: string | undefined) =>
        (s ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean);
      const { key, secret } = await createApiKey(db, {
        tenant: values.tenant ?? "",
        name: values.name,
        kind: values.widget ? "widget" : "server",
        scopes: (values.scopes ? list(values.scopes) : values.widget ? ["chat", "match"] : []) as never,
        allowedOrigins: list(values.origins),
        ratePerMinute: Number(values.rate ?? env.KEY_RATE_PER_MINUTE),
        dailyQuota: Number(values.daily ?? env.KEY_DAILY_QUOTA),
      });
      console.log(
        `created ${key.kind} key ${key.id} for tenant ${key.tenantId}: scopes ${key.scopes.join(",")}, ${key.ratePerMinute}/min, ${key.dailyQuota}/day${key.allowedOrigins.length ? `, origins ${key.allowedOrigins.join(" ")}` : ""}`,
      );
      console.log(`\n  ${secret}\n\nThis is the only time the key is shown; store it now.`);
    } else if (command === "list") {
      for (const k of await listApiKeys(db, values.tenant)) {
        console.log(
          [
            k.id,
            k.tenantId,
            k.kind,
            k.scopes.join(","),
            `${k.ratePerMinute}/min`,
            `${k.dailyQuota}/day`,
            k.allowedOrigins.join(" ") || "-",
            k.revokedAt ? `revoked ${k.revokedAt}` : "active",
            k.name,
          ].join("\t"),
        );
      }
    } else {
      if (!rest[0]) {
        console.error(USAGE);
        return 2;
      }
      const done = await revokeApiKey(db, rest[0], new Date());
      console.log(done ? `revoked ${rest[0]}` : `no active key ${rest[0]}`);
      return done ? 0 : 1;
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    if (err instanceof ZodError) console.error(err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
    else console.error(err instanceof ConfigError ? err.message : `keys failed: ${(err as Error).stack}`);
    process.exitCode = 2;
  },
);
