import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// The project's source files and their runtime imports, read as text: for the tests that check
// what reaches the browser (tests/unit/client-imports.test.ts, client-messages.test.ts).

export const ROOT = path.resolve(__dirname, "../..");

/** Every .ts and .tsx file under a folder (none if it does not exist). */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

/** A project import ("@/…" or relative) as a file, or null for a package. */
export function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Runtime imports of a module: `import x from`, `import "x"`, `export … from`, `import()`. */
export function importsOf(file: string): { spec: string; resolved: string | null }[] {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...[...text.matchAll(/^\s*import\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*export\s+(?!type\b)[^"';]*?\sfrom\s+["']([^"']+)["']/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
  ];
  return specs.map((spec) => ({ spec, resolved: resolveImport(file, spec) }));
}

/** Every project file the entries import at run time, directly or not, each with the entry that reaches it first. */
export function reachable(entries: string[]): Map<string, string> {
  const reached = new Map<string, string>();
  const queue = entries.map((e) => [e, e] as const);
  while (queue.length > 0) {
    const [file, entry] = queue.shift()!;
    if (reached.has(file)) continue;
    reached.set(file, entry);
    for (const { resolved } of importsOf(file)) if (resolved) queue.push([resolved, entry]);
  }
  return reached;
}
