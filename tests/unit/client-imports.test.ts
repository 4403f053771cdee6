import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, reachable, ROOT, sourceFiles } from "../helpers/source-graph";

// What the browser can get: every "use client" module and everything it imports (type-only
// imports aside). None of it may be server-only, read the environment (lib/env.ts, where the
// service-role key is read) or name the key. The built bundle is checked by tests/e2e/secrets.spec.ts.

const SOURCE_DIRS = ["app", "components", "lib", "i18n"];

const isClientEntry = (file: string) => /^\s*(\/\/[^\n]*\n\s*)*["']use client["']/.test(readFileSync(file, "utf8"));

function clientGraph(): Map<string, string> {
  const entries = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))).filter(isClientEntry);
  expect(entries.length).toBeGreaterThan(3);
  return reachable(entries); // file -> the client entry that reaches it
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
