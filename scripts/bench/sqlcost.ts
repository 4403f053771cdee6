// The domain SQL against what Postgres itself does on the same machine, all driven by pgbench (a C
// client: no Node.js on the cores while it measures), in the same run (issue 17):
//
// - baselines, in a second database `<bench>_min`: a bare `select 1` transaction, and a minimal
//   stock issue (update one stock row with a check, append one ledger row, commit) on a minimal
//   schema whose ledger, loaded to the same number of rows, has one index;
// - the domain SQL as a signed-in user sends it: role and claims set for the transaction (a live
//   row in auth.sessions named by the claims' session_id, which private.actor() checks), then the
//   function, one query string per call as lib/db/sql-call.ts sends it: the outbound cycle
//   create → submit (Korean team) → approve → commit (manager), items_list (random page of 20),
//   stocks_list(low) and a 50-row ledger page of a random item.
//
// Prints rates and ratios; bench.ts judges them against the targets.

import { readFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import { oneTripCall } from "@/lib/db/sql-call";
import type { Caller, RpcArgs } from "@/lib/db/types";
import { runPgbench, type PgbenchResult } from "./pgbench";
import { signedIn, USERS } from "./session";

/** The second database: same name with `_min` appended (still contains "bench"). */
export function minimalUrl(url: URL): URL {
  const u = new URL(url);
  u.pathname = `/${decodeURIComponent(url.pathname.slice(1))}_min`;
  return u;
}

function maintenance(url: URL): string {
  const u = new URL(url);
  u.pathname = "/postgres";
  return u.toString();
}

/**
 * The minimal stock-issue schema: one stock row per (item, location) with a non-negative check,
 * an append-only ledger with its primary key as the only index, loaded with `rows` rows.
 */
export async function createMinimal(url: URL, rows: number, pairs: number): Promise<void> {
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new pg.Client({ connectionString: maintenance(url) });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query("set synchronous_commit = off");
    await c.query(`
      create table stock (
        item int not null, location int not null, on_hand numeric(14,3) not null check (on_hand >= 0),
        primary key (item, location));
      create table ledger (
        id bigint generated always as identity primary key,
        item int not null, location int not null, delta numeric(14,3) not null, balance_after numeric(14,3) not null,
        created_at timestamptz not null default now());
      insert into stock select i, l, 1000000 from generate_series(1, ${Math.ceil(pairs / 5)}) i, generate_series(1, 5) l;
      insert into ledger (item, location, delta, balance_after)
        select 1 + g % ${Math.ceil(pairs / 5)}, 1 + g % 5, 5 + g % 46, 1000 + g % 997 from generate_series(1, ${rows}) g;`);
    await c.query("vacuum analyze stock, ledger");
  } finally {
    await c.end();
  }
}

export async function dropMinimal(url: URL): Promise<void> {
  const admin = new pg.Client({ connectionString: maintenance(url) });
  await admin.connect();
  await admin.query(`drop database if exists "${decodeURIComponent(url.pathname.slice(1))}" with (force)`).catch(() => undefined);
  await admin.end();
}

export async function databaseSize(url: URL): Promise<number> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query("checkpoint");
    return Number((await c.query<{ n: string }>("select pg_database_size(current_database()) n")).rows[0].n);
  } finally {
    await c.end();
  }
}

/**
 * The server's settings that move the domain SQL's ratios. Without huge pages, each of 32
 * backends maps the shared buffers with 4 kB pages, and the reads, which touch about 200 buffers
 * a call, spend much of their time on page-table misses: on this machine the ledger page ran at
 * half its rate (docs/performance.md, "Huge pages"). The bare transaction touches almost none.
 * Without autovacuum, the rows the cycle updates leave their pages without visibility bits, and
 * the reads after it fetch rows an index could have answered (the low-stock count: 309 buffers
 * instead of 4).
 */
export async function serverSettings(c: pg.Client): Promise<{ text: string; hugePages: boolean | null }> {
  const { version, buffers, setting, status, autovacuum } = (
    await c.query<{ version: string; buffers: string; setting: string; status: string | null; autovacuum: string }>(
      `select current_setting('server_version') version, current_setting('shared_buffers') buffers,
              current_setting('huge_pages') setting, current_setting('huge_pages_status', true) status, -- status: 17+
              current_setting('autovacuum') autovacuum`,
    )
  ).rows[0];
  let hugePages: boolean | null = status ? status === "on" : setting === "on" ? true : setting === "off" ? false : null;
  let detail = status ? `${setting}, in use: ${status}` : setting;
  if (hugePages === null && os.platform() === "linux") {
    // Postgres before 17 does not say whether "try" got them; none reserved on the host (the
    // bench's server is local: common.ts) means no.
    const total = /HugePages_Total:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1];
    if (total === "0") {
      hugePages = false;
      detail += " (none reserved on this host: vm.nr_hugepages = 0)";
    }
  }
  return { text: `Postgres ${version}, shared_buffers ${buffers}, huge pages ${detail}, autovacuum ${autovacuum}`, hugePages };
}

/**
 * One call as pgbench sends it: one query string. pgbench substitutes `:var` textually, inside
 * the quoted literals too; an argument written `sql:<expression>` is sent as that expression.
 */
function call(fn: string, args: RpcArgs, caller: Caller, suffix = ""): string {
  const sql = oneTripCall(fn, args, caller)
    .replace(/'sql:((?:[^']|'')*)'/g, (_, e: string) => `(${e.replaceAll("''", "'")})`)
    .replace(" as result;", `${suffix} as result;`);
  // A semicolon ends a pgbench command; `\;` joins statements into one string (one round trip).
  return sql.replaceAll("; ", " \\; ");
}

/** What a scenario wrote to the WAL, per transaction of its script (`pg_stat_wal`, Postgres 14+). */
export type WalPerTx = { records: number; fullPages: number; bytes: number };

export type SqlCost = {
  /** The outbound cycle's and the minimal issue's WAL per transaction; null without pg_stat_wal. */
  wal: { cycle: WalPerTx; minimalIssue: WalPerTx } | null;
  bare: PgbenchResult;
  minimalIssue: PgbenchResult;
  /** The two baselines measured again after the domain SQL: the ratios use the mean of both runs. */
  bareAgain: PgbenchResult;
  minimalIssueAgain: PgbenchResult;
  me: PgbenchResult;
  cycle: PgbenchResult;
  /** For scale, not a target: the same cycle with one client per core (no oversubscription). */
  cyclePerCore: PgbenchResult;
  items: PgbenchResult;
  low: PgbenchResult;
  ledger: PgbenchResult;
};

export type DomainScripts = {
  me: string[];
  cycle: string[];
  items: string[];
  low: string[];
  ledger: string[];
  /** bench:cpu only: a committed one-line flow's detail (the cycle leaves them), a 500-line one's, a page of flows */
  flow: string[];
  flowBig: string[];
  flows: string[];
};

/**
 * The pgbench scripts of the domain SQL, as the Korean team (create, submit, reads) and a manager
 * (approve, commit) send it: two new sessions, and a schema `bench` with the inputs the scripts
 * pick from at random by number (stock rows that can give many 1-unit outbounds, items with history).
 */
export async function domainScripts(url: URL, pages: number): Promise<DomainScripts> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  let korean: Caller;
  let manager: Caller;
  let picks: number;
  let ledgerItems: number;
  let flowsOne: number;
  let flowsBig: number;
  try {
    const query = <T,>(sql: string, params: unknown[]) => c.query<T & pg.QueryResultRow>(sql, params);
    korean = await signedIn(query, USERS.korean);
    manager = await signedIn(query, USERS.manager);
    await c.query(`
      drop schema if exists bench cascade;
      create schema bench;
      create table bench.stocked (k int primary key, item_id uuid not null, location_id uuid not null);
      insert into bench.stocked select row_number() over (order by item_id, location_id), item_id, location_id
        from public.stocks where on_hand >= 100;
      create table bench.moved (k int primary key, item_id uuid not null);
      insert into bench.moved select row_number() over (order by item_id), item_id from public.item_stock_totals where on_hand > 0;
      create table bench.flow_one (k int primary key, id uuid not null);
      create table bench.flow_big (k int primary key, id uuid not null);
      with n as (select flow_id, count(*) as n from public.stock_movements group by flow_id)
      , one as (insert into bench.flow_one select row_number() over (order by flow_id), flow_id from n where n = 1)
      insert into bench.flow_big select row_number() over (order by flow_id), flow_id from n where n >= 400;
      grant usage on schema bench to authenticated;
      grant select on all tables in schema bench to authenticated;
      analyze bench.stocked, bench.moved, bench.flow_one, bench.flow_big;`);
    const rowsIn = async (table: string) => Number((await c.query<{ n: string }>(`select count(*) n from bench.${table}`)).rows[0].n);
    picks = await rowsIn("stocked");
    ledgerItems = await rowsIn("moved");
    flowsOne = await rowsIn("flow_one");
    flowsBig = await rowsIn("flow_big");
  } finally {
    await c.end();
  }
  if (picks < 50) throw new Error(`only ${picks} stock rows hold 100 or more: load more ledger rows`);
  const pick = (col: string) => `sql:select ${col} from bench.stocked where k = :k`;
  return {
    me: [`${call("me", {}, korean)};`],
    cycle: [
      `\\set k random(1, ${picks})`,
      `${call(
        "flow_create",
        {
          p_kind: "outbound",
          p_lines: pick("jsonb_build_array(jsonb_build_object('item_id', item_id, 'qty', 1))"),
          p_from_location_id: pick("location_id"),
        },
        korean,
        " ->> 'id'",
      ).replace(" as result ", " as flow_id ")} \\aset`,
      `${call("flow_submit", { p_id: ":flow_id", p_kind: "outbound" }, korean)};`,
      `${call("flow_approve", { p_id: ":flow_id", p_kind: "outbound" }, manager)};`,
      `${call("flow_commit", { p_id: ":flow_id", p_kind: "outbound" }, manager)};`,
    ],
    items: [`\\set page random(1, ${pages})`, `${call("items_list", { p_sort: "sku", p_page: ":page", p_limit: 20 }, korean)};`],
    low: [`${call("stocks_list", { p_low: true, p_page: 1, p_limit: 20 }, korean)};`],
    ledger: [
      `\\set k random(1, ${ledgerItems})`,
      `${call("ledger_list", { p_item_id: "sql:select item_id from bench.moved where k = :k", p_limit: 50 }, korean)};`,
    ],
    // Until the cycle has run there is no one-line flow: the lookup gives null, and flow_get says not found.
    flow: [`\\set k random(1, ${Math.max(1, flowsOne)})`, `${call("flow_get", { p_id: "sql:select id from bench.flow_one where k = :k" }, korean)};`],
    flowBig: [`\\set k random(1, ${Math.max(1, flowsBig)})`, `${call("flow_get", { p_id: "sql:select id from bench.flow_big where k = :k" }, korean)};`],
    flows: [`${call("flows_list", { p_page: 1, p_limit: 20 }, korean)};`],
  };
}

export async function measureSqlCost(
  url: URL,
  minUrl: URL,
  opts: { seconds: number; warmupSeconds: number; clients: number; pages: number; minimalPairs: number },
): Promise<SqlCost> {
  const scripts = await domainScripts(url, opts.pages);
  const run = (db: URL, label: string, lines: string[]) =>
    runPgbench(db, label, lines, { seconds: opts.seconds, warmupSeconds: opts.warmupSeconds, clients: opts.clients });

  const bareScript = ["select 1;"];
  const bare = await run(minUrl, "pgbench  bare transaction: select 1", bareScript);
  const items = Math.ceil(opts.minimalPairs / 5);
  const minimalWal = await walCounter(url);
  const minimalScript = [
    `\\set item random(1, ${items})`,
    "\\set loc random(1, 5)",
    "begin \\; with s as (update stock set on_hand = on_hand - 1 where item = :item and location = :loc and on_hand >= 1 returning on_hand) " +
      "insert into ledger (item, location, delta, balance_after) select :item, :loc, -1, on_hand from s \\; commit;",
  ];
  const minimalIssue = await run(minUrl, "pgbench  minimal stock issue (update + ledger row)", minimalScript);
  const minimalIssueWal = await minimalWal(minimalIssue.transactions);
  const me = await run(url, "pgbench  me() as the signed-in user", scripts.me);
  const cycleWal = await walCounter(url);
  const cycle = await run(url, "pgbench  outbound cycle (4 calls, 2 users)", scripts.cycle);
  const cycleWalPerTx = await cycleWal(cycle.transactions);
  // The issue's 32 clients on this machine's cores: the cycle's rate falls as clients are added
  // beyond the cores (docs/performance.md), where the minimal issue's rises. One client per core
  // shows what the same SQL does without that; printed for scale, judged by nothing.
  const perCore = Math.max(1, Math.min(opts.clients, os.cpus().length));
  const cyclePerCore = await runPgbench(url, `pgbench  outbound cycle, ${perCore} client(s) (one per core)`, scripts.cycle, {
    seconds: opts.seconds,
    warmupSeconds: opts.warmupSeconds,
    clients: perCore,
  });
  const itemsList = await run(url, "pgbench  items_list (page N of 20)", scripts.items);
  const low = await run(url, "pgbench  stocks_list(p_low) (20 rows)", scripts.low);
  const ledger = await run(url, "pgbench  ledger_list(item) (50 rows)", scripts.ledger);
  // The baselines again, a few minutes later: a machine whose speed moved during the run (other
  // work on shared cores) shows as a drift between the two, instead of as a ratio that moved.
  const bareAgain = await run(minUrl, "pgbench  bare transaction again", bareScript);
  const minimalIssueAgain = await run(minUrl, "pgbench  minimal stock issue again", minimalScript);
  const wal = cycleWalPerTx && minimalIssueWal ? { cycle: cycleWalPerTx, minimalIssue: minimalIssueWal } : null;
  return { wal, bare, minimalIssue, bareAgain, minimalIssueAgain, me, cycle, cyclePerCore, items: itemsList, low, ledger };
}

/**
 * The server's WAL counters now; the function it returns reads them again and divides what was
 * written since by `transactions`. Stable where rates are not: what a transaction writes does not
 * depend on the machine's load (full-page images do depend on when the last checkpoint was).
 * Server-wide: autovacuum's writes during the run are counted too. Null without pg_stat_wal.
 */
async function walCounter(url: URL): Promise<(transactions: number) => Promise<WalPerTx | null>> {
  const read = async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      const r = await c.query<{ records: string; fpi: string; bytes: string }>(
        "select wal_records::text as records, wal_fpi::text as fpi, wal_bytes::text as bytes from pg_stat_wal",
      );
      return { records: Number(r.rows[0].records), fullPages: Number(r.rows[0].fpi), bytes: Number(r.rows[0].bytes) };
    } catch {
      return null; // before Postgres 14
    } finally {
      await c.end();
    }
  };
  const before = await read();
  return async (transactions) => {
    const after = await read();
    if (!before || !after || transactions === 0) return null;
    return {
      records: (after.records - before.records) / transactions,
      fullPages: (after.fullPages - before.fullPages) / transactions,
      bytes: (after.bytes - before.bytes) / transactions,
    };
  };
}
