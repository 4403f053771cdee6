// npm run audit:gate — the dependency-advisory gate of CI (.ci/run and ci.yml; docs/operations.md).
// Runs `npm audit --omit=dev --audit-level=high --json` and fails on any high or critical advisory
// for a production dependency that .ci/audit-exceptions.json does not accept (each accepted one
// with its reason, and optionally a date after which it no longer counts). When the advisory
// database cannot be reached, it says so and what was not checked, and passes, unless
// --require-database is given (GitHub Actions, where the registry answers).
//
//   tsx scripts/audit-gate.ts [--registry URL] [--exceptions FILE] [--require-database]
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const GATED = new Set(["high", "critical"]);

type Via = { source: number; name: string; title: string; url: string; severity: string } | string;
type Report = { vulnerabilities: Record<string, { name: string; severity: string; via: Via[] }> };
type Exception = { id: string; package?: string; reason: string; until?: string };

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function loadExceptions(file: string): Exception[] {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { exceptions?: unknown };
  if (!Array.isArray(parsed.exceptions)) throw new Error(`${file}: expected {"exceptions": [...]}`);
  return parsed.exceptions.map((e: Partial<Exception>, i) => {
    if (typeof e.id !== "string" || !e.id.trim()) throw new Error(`${file}: exception ${i + 1} has no id (GHSA-… or the advisory number)`);
    if (typeof e.reason !== "string" || !e.reason.trim()) throw new Error(`${file}: exception ${e.id} has no reason`);
    if (e.until !== undefined && Number.isNaN(Date.parse(e.until))) throw new Error(`${file}: exception ${e.id} has an invalid until date`);
    return e as Exception;
  });
}

/** The production packages in the lock file: what an unreachable database leaves unchecked. */
function productionPackageCount(): number {
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages?: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages ?? {}).filter(([key, p]) => key !== "" && !p.dev).length;
}

function runAudit(registry: string | undefined): Promise<string> {
  const args = ["audit", "--omit=dev", "--audit-level=high", "--json", ...(registry ? ["--registry", registry] : [])];
  return new Promise((resolve) => {
    // npm exits non-zero both for advisories found and for errors: the JSON says which.
    execFile("npm", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => resolve(stdout));
  });
}

function advisoryId(via: Exclude<Via, string>): string {
  return /\/(GHSA-[\w-]+)/i.exec(via.url)?.[1] ?? String(via.source);
}

async function main(): Promise<number> {
  const exceptionsFile = option("--exceptions") ?? path.join(ROOT, ".ci", "audit-exceptions.json");
  const exceptions = loadExceptions(exceptionsFile);
  const today = new Date().toISOString().slice(0, 10);
  const stdout = await runAudit(option("--registry"));

  let report: Partial<Report> & { message?: string; error?: { summary?: string }; statusCode?: number };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    report = { message: stdout.trim().slice(0, 300) || "npm audit printed nothing" };
  }
  if (!report.vulnerabilities) {
    const why = report.message || report.error?.summary || `status ${report.statusCode ?? "unknown"}`;
    console.log(`audit gate: the advisory database could not be reached (${why}).`);
    console.log(`audit gate: NOT CHECKED: ${productionPackageCount()} production packages in package-lock.json were not checked for known advisories.`);
    if (process.argv.includes("--require-database")) {
      console.log("audit gate: failed (--require-database)");
      return 1;
    }
    console.log("audit gate: passed without an advisory check");
    return 0;
  }

  const seen = new Set<string>();
  let refused = 0;
  const used = new Set<Exception>();
  for (const vuln of Object.values(report.vulnerabilities)) {
    for (const via of vuln.via) {
      // A string names a vulnerable dependency, which is listed (and judged) on its own.
      if (typeof via === "string" || !GATED.has(via.severity)) continue;
      const id = advisoryId(via);
      if (seen.has(`${via.name} ${id}`)) continue;
      seen.add(`${via.name} ${id}`);
      const accepted = exceptions.find(
        (e) => (e.id === id || e.id === String(via.source)) && (!e.package || e.package === via.name) && (!e.until || e.until >= today),
      );
      if (accepted) {
        used.add(accepted);
        console.log(`audit gate: accepted ${via.severity} ${via.name} ${id} "${via.title}": ${accepted.reason}`);
      } else {
        refused++;
        console.log(`audit gate: ${via.severity.toUpperCase()} ${via.name} ${id} "${via.title}" ${via.url}`);
      }
    }
  }
  for (const e of exceptions) {
    if (!used.has(e)) console.log(`audit gate: note: exception ${e.id}${e.until && e.until < today ? ` expired on ${e.until}` : " matched nothing"}`);
  }
  if (refused > 0) {
    console.log(`audit gate: failed: ${refused} high or critical advisories without an accepted exception (${path.relative(ROOT, exceptionsFile)})`);
    return 1;
  }
  console.log(`audit gate: passed (${seen.size} high or critical advisories, all accepted)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit gate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
