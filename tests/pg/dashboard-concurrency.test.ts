import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { clientQuery, openPgTestDatabase, waitsOnLock, type PgTestDatabase } from "../helpers/pg";
import { rpc } from "../helpers/rpc-as";
import { become } from "../helpers/sql-as";

// The dashboard trend's kept sums of closed days (20261230000100) while a write into a closed day
// is in flight (real Postgres: PGlite has one connection). The trend's fill and the daily totals'
// trigger share one advisory lock, so a day is never summed without a write that commits.

let db: PgTestDatabase;

beforeAll(async () => {
  db = await openPgTestDatabase();
});

const TODAY = "(now() at time zone 'Asia/Seoul')::date";
const BACK = 20;

const addInbound = (c: pg.PoolClient, item: string, qty: number) =>
  c.query(
    `insert into public.flow_daily_totals as t (day, kind, item_id, qty, lines) values (${TODAY} - ${BACK}, 'inbound', $1, $2, 1)
     on conflict (day, kind, item_id) do update set qty = t.qty + excluded.qty, lines = t.lines + 1`,
    [item, qty],
  );

// The day's inbound as the trend shows it (as the Korean team) and as the daily totals hold it.
async function dayShown(c: pg.PoolClient): Promise<number> {
  const trend = await rpc<{ inbound: number }[]>(clientQuery(c), "dashboard_trend", { p_days: 30 });
  return Number(trend[29 - BACK].inbound);
}
async function dayHeld(): Promise<number> {
  const [{ qty }] = await db.query<{ qty: string }>(
    `select coalesce(sum(qty), 0) as qty from public.flow_daily_totals where day = ${TODAY} - ${BACK} and kind = 'inbound'`,
  );
  return Number(qty);
}

describe("the dashboard trend's closed days under concurrent writes (real Postgres)", () => {
  it("a trend that must sum a closed day waits for a write into it, then counts it; a later write clears it", async () => {
    const [{ item }] = await db.query<{ item: string }>("select id as item from public.items order by sku limit 1");
    await db.query("delete from public.flow_closed_day_totals");
    const writer = await db.pool.connect();
    const reader = await db.pool.connect();
    try {
      const readerPid = (await reader.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
      await writer.query("begin");
      await addInbound(writer, item, 1234);
      await reader.query("begin");
      await become(clientQuery(reader), "korean");
      const shown = dayShown(reader);
      expect(await waitsOnLock(db.query, readerPid)).toBe(true);
      await writer.query("commit");
      expect(await shown).toBe(await dayHeld());
      await reader.query("commit");

      // The other order: the trend has made the day's sums and not committed; a write into the
      // day waits for it, then clears the sums it made, and the next trend counts the write.
      await db.query("delete from public.flow_closed_day_totals");
      const writerPid = (await writer.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
      await reader.query("begin");
      await become(clientQuery(reader), "korean");
      const before = await dayShown(reader);
      await writer.query("begin");
      const write = addInbound(writer, item, 66);
      expect(await waitsOnLock(db.query, writerPid)).toBe(true);
      await reader.query("commit");
      await write;
      await writer.query("commit");
      await reader.query("begin");
      await become(clientQuery(reader), "korean");
      expect(await dayShown(reader)).toBe(before + 66);
      expect(before + 66).toBe(await dayHeld());
      await reader.query("commit");
    } finally {
      await writer.query("rollback").catch(() => undefined);
      await reader.query("rollback").catch(() => undefined);
      writer.release();
      reader.release();
    }
  });
});
