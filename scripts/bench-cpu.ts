// `npm run bench:cpu`: what one call of each domain scenario costs the Postgres backend in CPU
// time, on a database kept by `BENCH_KEEP=1 npm run bench` (issue 17).
//
// pgbench rates move with whatever else the machine runs (2× between runs of the same build
// here). The CPU time a backend spends on a call moves far less: this runs each scenario's script
// (the same pgbench scripts as `npm run bench`, scripts/bench/sqlcost.ts) on one connection, one
// call after another, and reads the backend's own on-CPU time from /proc/<pid>/schedstat before
// and after. The database must be on this machine (Linux). Rounds alternate the scenarios, so a
// change of machine load falls on all of them alike; compare figures of one run.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/duly_bench npm run bench:cpu
//   BENCH_CPU_CALLS=1000 BENCH_CPU_ROUNDS=3 BENCH_CPU_SCENARIOS=items,low npm run bench:cpu
//   BENCH_CPU_SPLIT=1 BENCH_CPU_SCENARIOS=cycle npm run bench:cpu   # the cycle's calls one by one
//   BENCH_CPU_SCENARIOS=flow,flowBig,flows npm run bench:cpu   # a flow's detail (1 and 500 lines), a page of flows

import { readFileSync } from "node:fs";
import pg from "pg";
import { backendCpuMs, DEFAULT_DB_URL, fail, fmt } from "./bench/common";
import { domainScripts, type DomainScripts } from "./bench/sqlcost";

const url = new URL(process.env.BENCH_DATABASE_URL ?? DEFAULT_DB_URL);
const calls = Number(process.env.BENCH_CPU_CALLS ?? 1000);
const rounds = Number(process.env.BENCH_CPU_ROUNDS ?? 3);
const PAGES = 500; // 10,000 items, 20 a page: as npm run bench

/**
 * Runs one pgbench script once: `\set x random(a, b)`, `:x` substitution and `\aset`, as pgbench
 * does. With `split`, each command's backend CPU is added to its own slot (the cycle's four calls).
 */
async function runScript(c: pg.Client, lines: string[], split?: { pid: number; ms: number[] }): Promise<void> {
  const vars: Record<string, string> = {};
  for (const [index, line] of lines.entries()) {
    const set = /^\\set (\w+) random\((\d+), (\d+)\)$/.exec(line);
    if (set) {
      const [lo, hi] = [Number(set[2]), Number(set[3])];
      vars[set[1]] = String(lo + Math.floor(Math.random() * (hi - lo + 1)));
      continue;
    }
    const aset = line.endsWith(" \\aset");
    const sql = line
      .replace(/ \\aset$/, "")
      .replace(/ \\;/g, ";")
      .replace(/:(\w+)/g, (all, name: string) => vars[name] ?? all);
    const before = split ? backendCpuMs(split.pid) : 0;
    const result = (await c.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    if (split) split.ms[index] = (split.ms[index] ?? 0) + backendCpuMs(split.pid) - before;
    if (aset) {
      for (const r of Array.isArray(result) ? result : [result]) Object.assign(vars, ...(r.rows ?? []));
    }
  }
}

async function main(): Promise<void> {
  if (process.platform !== "linux") fail("bench:cpu reads /proc/<pid>/schedstat: Linux only");
  const scripts = await domainScripts(url, PAGES);
  const wanted = (process.env.BENCH_CPU_SCENARIOS ?? "me,items,low,ledger,cycle").split(",") as (keyof DomainScripts)[];
  const clients = new Map<string, { c: pg.Client; pid: number }>();
  for (const name of wanted) {
    if (!scripts[name]) fail(`unknown scenario ${name}: one of ${Object.keys(scripts).join(", ")}`);
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const pid = Number((await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid);
    if (!readFileSync(`/proc/${pid}/schedstat`, "utf8")) fail("the database is not on this machine");
    // Warm up: plans cached, pages in memory.
    for (let i = 0; i < 50; i++) await runScript(c, scripts[name]);
    clients.set(name, { c, pid });
  }
  console.log(`bench:cpu: ${url.host}${url.pathname}, ${calls} calls a scenario a round, ${rounds} rounds; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  const perCall = new Map<string, number[]>(wanted.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of wanted) {
      const { c, pid } = clients.get(name)!;
      const before = backendCpuMs(pid);
      for (let i = 0; i < calls; i++) await runScript(c, scripts[name]);
      perCall.get(name)!.push((backendCpuMs(pid) - before) / calls);
    }
  }
  console.log(`${"scenario".padEnd(10)} backend CPU ms per call (one per round)   min`);
  for (const [name, values] of perCall) {
    console.log(`${name.padEnd(10)} ${values.map((v) => fmt(v, 3).padStart(7)).join(" ")}   ${fmt(Math.min(...values), 3)}`);
  }
  // BENCH_CPU_SPLIT=1: each command of the multi-command scenarios on its own (one more round).
  if (process.env.BENCH_CPU_SPLIT === "1") {
    for (const name of wanted.filter((n) => scripts[n].filter((l) => !l.startsWith("\\set")).length > 1)) {
      const { c, pid } = clients.get(name)!;
      const split = { pid, ms: [] as number[] };
      for (let i = 0; i < calls; i++) await runScript(c, scripts[name], split);
      scripts[name].forEach((line, index) => {
        if (line.startsWith("\\set")) return;
        const fn = /public\.(\w+)\(/.exec(line)?.[1] ?? line.slice(0, 40);
        console.log(`${name.padEnd(10)} ${fn.padEnd(28)} ${fmt((split.ms[index] ?? 0) / calls, 3)} ms per call`);
      });
    }
  }
  for (const { c } of clients.values()) await c.end();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
