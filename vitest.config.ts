import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // PGlite instances are heavy on 2 cores; a few files at a time keeps runs steady.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "src/**/*.test.ts"],
          // Pure logic without a database: the files of a worker share one module graph, so jieba's
          // dictionaries and the condition registry load once per worker, not once per file (half the time).
          isolate: false,
        },
      },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"] } },
    ],
  },
});
