import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite instances are heavy on 2 cores; a few files at a time keeps runs steady.
    maxWorkers: 2,
  },
});
