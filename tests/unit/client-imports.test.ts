import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// What the browser can get: every "use client" module and everything it imports (type-only
// imports aside). None of it may be server-only, read the environment (lib/env.ts, where the
// service-role key is read) or name the key. The built bundle is checked by tests/e2e/secrets.spec.ts.

const ROOT = path.resolve(__dirname, "../..");
const SOURCE_DIRS = ["app", "components", "lib", "i18n"];

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
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
function importsOf(file: string): { spec: string; resolved: string | null }[] {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...[...text.matchAll(/^\s*import\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*export\s+(?!type\b)[^"';]*?\sfrom\s+["']([^"']+)["']/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
  ];
  return specs.map((spec) => ({ spec, resolved: resolveImport(file, spec) }));
}

const isClientEntry = (file: string) => /^\s*(\/\/[^\n]*\n\s*)*["']use client["']/.test(readFileSync(file, "utf8"));

function clientGraph(): Map<string, string> {
  const reached = new Map<string, string>(); // file -> the client entry that reaches it
  const entries = SOURCE_DIRS.flatMap((d) => walk(path.join(ROOT, d))).filter(isClientEntry);
  expect(entries.length).toBeGreaterThan(3);
  const queue = entries.map((e) => [e, e] as const);
  while (queue.length > 0) {
    const [file, entry] = queue.shift()!;
    if (reached.has(file)) continue;
    reached.set(file, entry);
    for (const { resolved } of importsOf(file)) if (resolved) queue.push([resolved, entry]);
  }
  return reached;
}

// Inlined at build time for every bundle (next.config.mjs `env`): the build's identity, public on
// /healthz and in every X-Engine-* header anyway.
const BUILD_PUBLIC = new Set(["NODE_ENV", "DULY_BUILD_COMMIT", "DULY_SCHEMA_VERSION"]);

describe("modules that reach the browser", () => {
  const graph = clientGraph();
  const rel = (f: string) => path.relative(ROOT, f);

  it("never import server-only code or lib/env.ts", () => {
    const offenders: string[] = [];
    for (const [file, entry] of graph) {
      if (rel(file) === "lib/env.ts") offenders.push(`${rel(entry)} reaches lib/env.ts`);
      for (const { spec } of importsOf(file)) {
        if (spec === "server-only" || spec === "next/headers") offenders.push(`${rel(file)} (from ${rel(entry)}) imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("never read a server environment variable or name the service-role key", () => {
    const offenders: string[] = [];
    for (const [file, entry] of graph) {
      const text = readFileSync(file, "utf8");
      if (text.includes("SUPABASE_SERVICE_ROLE_KEY")) offenders.push(`${rel(file)} (from ${rel(entry)}) names SUPABASE_SERVICE_ROLE_KEY`);
      for (const m of text.matchAll(/process\.env\.([A-Z0-9_]+)/g)) {
        if (!m[1].startsWith("NEXT_PUBLIC_") && !BUILD_PUBLIC.has(m[1])) offenders.push(`${rel(file)} (from ${rel(entry)}) reads ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the check sees real client code (the login form and what it imports)", () => {
    expect([...graph.keys()].map(rel)).toContain("app/login/login-form.tsx");
  });
});
