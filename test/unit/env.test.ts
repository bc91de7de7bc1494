import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../../src/env.js";

describe("parseEnv", () => {
  it("gives working defaults for the embedded setup", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 8787, DATA_DIR: ".data/pglite", EMBEDDING_PROVIDER: "local", CHAT_PROVIDER: "none" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("requires a model and base URL for remote embeddings", () => {
    expect(() => parseEnv({ EMBEDDING_PROVIDER: "openai" })).toThrow(/EMBEDDING_MODEL[\s\S]*EMBEDDING_BASE_URL|EMBEDDING_BASE_URL[\s\S]*EMBEDDING_MODEL/);
  });
});
