/**
 * SQL lives in src/db/ only: every string or template literal elsewhere in
 * src/ that reads as a SQL statement is reported. Literals, not lines, so a
 * comment that names a statement is no violation. Routes, besides, reach
 * the stores only through use cases: a route importing a value from src/db/
 * is reported too. Run: tsx scripts/checks/sql-outside-db.ts
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The stores' folder, where SQL belongs. */
const DB_FOLDER = "src/db/";

// Statements as this codebase writes them: upper-case keywords. Prose in messages is lower-case or Chinese.
const STATEMENT =
  /\b(?:SELECT\s|INSERT\s+INTO\b|UPDATE\s+\w+(?:\s+\w+)?\s+SET\b|DELETE\s+FROM\b|(?:CREATE|DROP|ALTER)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|EXTENSION|SCHEMA|VIEW|FUNCTION|TRIGGER)\b|TRUNCATE\s|ANALYZE\b|VACUUM\b|SET\s+LOCAL\b|WITH\s+\w+\s+AS\s*\(|ON\s+CONFLICT\b|RETURNING\s)/;

export type SqlFinding = { file: string; line: number; text: string };

/** The SQL-looking literals in one file's source text. */
export function findSql(file: string, source: string): SqlFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: SqlFinding[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" … ");
    if (text !== undefined && STATEMENT.test(text)) {
      found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.replace(/\s+/g, " ").slice(0, 100) });
    }
    // A template's parts were read whole above.
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
    else node.templateSpans.forEach((s) => visit(s.expression));
  };
  visit(sf);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(?:ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every SQL literal under `root`/src outside src/db/. */
export function sqlOutsideDb(root: string): SqlFinding[] {
  return sourceFiles(join(root, "src"))
    .map((path) => relative(root, path).split(sep).join("/"))
    .filter((file) => !file.startsWith(DB_FOLDER))
    .flatMap((file) => findSql(file, readFileSync(join(root, file), "utf8")));
}

/** Imports of a value (not `import type`) from src/db/ in one route file's source. */
export function storeImports(file: string, source: string): SqlFinding[] {
  const found: SqlFinding[] = [];
  for (const m of source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"((?:\.\.\/)+db\/[^"]+)"/gms)) {
    found.push({ file, line: source.slice(0, m.index).split("\n").length, text: m[1] });
  }
  return found;
}

/** Every route file under `root`/src/routes that imports a store. */
export function routesImportingStores(root: string): SqlFinding[] {
  return sourceFiles(join(root, "src/routes"))
    .map((path) => relative(root, path).split(sep).join("/"))
    .flatMap((file) => storeImports(file, readFileSync(join(root, file), "utf8")));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const findings = sqlOutsideDb(root);
  for (const f of findings) console.error(`${f.file}:${f.line}: SQL outside src/db/ (move it into a store there): ${f.text}`);
  const imports = routesImportingStores(root);
  for (const f of imports) console.error(`${f.file}:${f.line}: a route imports the store ${f.text} (call a use case instead)`);
  if (findings.length || imports.length) process.exit(1);
  console.log("sql: no SQL outside src/db/, and no route imports a store");
}
