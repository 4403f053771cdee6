// pgbench (a C client) driving a script against the bench database: the figures of Postgres
// alone, with no Node.js on the cores while it measures (scripts/bench/sqlcost.ts writes the
// scripts: the baselines and the domain SQL as a signed-in user sends it).

import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { percentile } from "./common";

const run = promisify(execFile);

/** `transactions`: every transaction that ended, warm-up included (what the WAL figures divide by). */
export type PgbenchResult = { label: string; rate: number; p50: number; p95: number; p99: number; failed: number; transactions: number };

export function hasPgbench(): boolean {
  return spawnSync("pgbench", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * A pgbench script (its lines) run by `clients` connections for warm-up + measured seconds; the
 * figures count only the transactions that ended after the warm-up. An aborted client (an SQL
 * error) counts as a failure.
 */
export async function runPgbench(
  url: URL,
  label: string,
  scriptLines: string[],
  opts: { seconds: number; warmupSeconds: number; clients: number },
): Promise<PgbenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "duly-pgbench-"));
  try {
    const script = path.join(dir, "script.sql");
    await writeFile(script, `${scriptLines.join("\n")}\n`);
    const args = [
      "-n", // no vacuum of pgbench's own tables
      "-h", url.hostname,
      "-p", url.port || "5432",
      "-U", decodeURIComponent(url.username || "postgres"),
      "-c", String(opts.clients),
      "-j", "2",
      "-T", String(opts.warmupSeconds + opts.seconds),
      "-l", `--log-prefix=${path.join(dir, "log")}`,
      "-f", script,
      decodeURIComponent(url.pathname.slice(1)),
    ];
    const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
    // pgbench exits 2 when a client aborted: its output still has the figures.
    const { stdout, stderr } = await run("pgbench", args, { env, maxBuffer: 1 << 22 }).catch(
      (e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? "", stderr: e.stderr ?? e.message }),
    );
    const aborted = (stderr.match(/client \d+ aborted/g) ?? []).length;
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0) + aborted;
    if (aborted > 0) console.log(`    ${label}: ${aborted} client(s) aborted: ${stderr.split("\n").find((l) => /ERROR|aborted/.test(l))?.slice(0, 400)}`);
    // Log lines: client, transaction, latency in µs, script, end time (epoch s, µs). The first
    // warmupSeconds are left out, as in the other scenarios: each new connection plans the
    // functions' statements once, and the warm-up must run on the connections that are measured.
    const done: { latencyMs: number; endS: number }[] = [];
    for (const f of (await readdir(dir)).filter((n) => n.startsWith("log"))) {
      for (const line of (await readFile(path.join(dir, f), "utf8")).split("\n")) {
        const [, , us, , epoch, epochUs] = line.split(" ").map(Number);
        if (line && Number.isFinite(us) && Number.isFinite(epoch)) done.push({ latencyMs: us / 1000, endS: epoch + epochUs / 1e6 });
      }
    }
    // Loops, not Math.min(...array): a quiet machine runs hundreds of thousands of bare
    // transactions in a scenario, more arguments than a call's stack holds.
    let first = Infinity;
    for (const d of done) first = Math.min(first, d.endS);
    const measuredFrom = first + opts.warmupSeconds;
    const measured = done.filter((d) => d.endS >= measuredFrom);
    const latencies = measured.map((d) => d.latencyMs);
    latencies.sort((a, b) => a - b);
    // The measured window: from the end of the warm-up to the last transaction that ended.
    let last = -Infinity;
    for (const d of measured) last = Math.max(last, d.endS);
    const windowS = measured.length > 0 ? last - measuredFrom : opts.seconds;
    return {
      label,
      rate: latencies.length / Math.max(windowS, 1e-3),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      failed,
      transactions: done.length,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
