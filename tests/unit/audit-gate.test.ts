import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeNpmRegistry, type Advisory, type FakeNpmRegistry } from "../helpers/fake-npm-registry";

// The dependency-advisory gate (scripts/audit-gate.ts) against a fake advisory endpoint on
// loopback: real `npm audit` on this project's lock file, canned advisories for `zod` (a
// production dependency) and `vitest` (a development one, which --omit=dev leaves out).

const ROOT = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "audit-gate-"));
let registry: FakeNpmRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const advisory = (severity: Advisory["severity"], n = 1): Advisory => ({
  id: 9000 + n,
  url: `https://github.com/advisories/GHSA-test-0000-000${n}`,
  title: `Test advisory ${n}`,
  severity,
  vulnerable_versions: "<99.0.0",
});

function exceptionsFile(exceptions: unknown[]): string {
  const file = path.join(dir, `exceptions-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ exceptions }));
  return file;
}

function gate(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, "node_modules", ".bin", "tsx"),
      [path.join(ROOT, "scripts", "audit-gate.ts"), ...args],
      // A cache of its own for every run: npm keeps advisory answers, and one test's would be the next one's.
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_cache: mkdtempSync(path.join(dir, "npm-cache-")) } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

async function withAdvisories(advisories: Record<string, Advisory[]>, exceptions: unknown[] = []) {
  registry = await startFakeNpmRegistry({ advisories });
  return gate(["--registry", registry.url, "--exceptions", exceptionsFile(exceptions)]);
}

describe("audit gate", { timeout: 60_000 }, () => {
  it("fails on a high advisory of a production dependency, naming it", async () => {
    const { code, out } = await withAdvisories({ zod: [advisory("high")] });
    expect(registry!.asked[0]).toContain("zod");
    expect(code).toBe(1);
    expect(out).toContain('HIGH zod GHSA-test-0000-0001 "Test advisory 1"');
    expect(out).toContain("failed: 1 high or critical advisories without an accepted exception");
  });

  it("passes when the exceptions file accepts it, printing the reason; a critical one besides still fails", async () => {
    const accepted = { id: "GHSA-test-0000-0001", package: "zod", reason: "only parses our own schemas" };
    const ok = await withAdvisories({ zod: [advisory("high")] }, [accepted]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('accepted high zod GHSA-test-0000-0001 "Test advisory 1": only parses our own schemas');
    await registry!.close();
    const both = await withAdvisories({ zod: [advisory("high"), advisory("critical", 2)] }, [accepted]);
    expect(both.code).toBe(1);
    expect(both.out).toContain("CRITICAL zod GHSA-test-0000-0002");
  });

  it("an exception past its date, or for another package, no longer counts", async () => {
    const expired = await withAdvisories({ zod: [advisory("high")] }, [{ id: "GHSA-test-0000-0001", reason: "r", until: "2020-01-01" }]);
    expect(expired.code).toBe(1);
    expect(expired.out).toContain("expired on 2020-01-01");
    await registry!.close();
    const other = await withAdvisories({ zod: [advisory("high")] }, [{ id: "GHSA-test-0000-0001", package: "pg", reason: "r" }]);
    expect(other.code).toBe(1);
  });

  it("passes on moderate advisories and on development dependencies", async () => {
    const { code, out } = await withAdvisories({ zod: [advisory("moderate")], vitest: [advisory("critical", 3)] });
    expect(code).toBe(0);
    expect(out).toContain("passed (0 high or critical advisories");
  });

  it("an unreachable advisory database is reported with what was not checked; it fails only with --require-database", async () => {
    registry = await startFakeNpmRegistry({ status: 405 });
    const file = exceptionsFile([]);
    const soft = await gate(["--registry", registry.url, "--exceptions", file]);
    expect(soft.code).toBe(0);
    expect(soft.out).toMatch(/the advisory database could not be reached \(405 Method Not Allowed/);
    expect(soft.out).toMatch(/NOT CHECKED: \d+ production packages/);
    const strict = await gate(["--registry", registry.url, "--exceptions", file, "--require-database"]);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain("failed (--require-database)");
  });

  it("refuses an exception without a reason", async () => {
    const { code, out } = await withAdvisories({}, [{ id: "GHSA-test-0000-0001" }]);
    expect(code).toBe(1);
    expect(out).toContain("has no reason");
  });
});
