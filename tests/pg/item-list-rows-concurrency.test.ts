import { beforeAll, describe, expect, it } from "vitest";
import { staleItemListRows } from "../helpers/item-list-rows";
import { openPgTestDatabase, waitsOnLock, type PgTestDatabase } from "../helpers/pg";

// The item list's kept rows (item_stock_totals.list_row, 20261226000100) under a commit and an
// items update at the same time (real Postgres: PGlite has one connection). A commit locks its
// items' totals in item order; the items' statement trigger takes the updated items' totals in
// the same order, whatever order the update met them in, so the two wait for each other instead
// of deadlocking.

let db: PgTestDatabase;

beforeAll(async () => {
  db = await openPgTestDatabase();
});

const newItem = async (id: string, sku: string) =>
  (await db.query<{ id: string }>("insert into public.items (id, sku, name_ko, unit) values ($1, $2, '동시 행', 'EA') returning id", [id, sku]))[0].id;

describe("item list rows under concurrent changes (real Postgres)", () => {
  it("an items update that meets their totals out of item order waits for a commit holding the first, without deadlock", async () => {
    // The first item has the smaller id; the second item and its totals row are stored first, so
    // scans of either table meet the second item first.
    const second = await newItem("f1000000-0000-4000-8000-000000000002", "ROW-LOCK-2");
    const first = await newItem("f1000000-0000-4000-8000-000000000001", "ROW-LOCK-1");
    await db.query("insert into public.item_stock_totals (item_id, on_hand) values ($1, 0), ($2, 0)", [second, first]);

    const commit = await db.pool.connect();
    const update = await db.pool.connect();
    try {
      const updatePid = (await update.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
      // As a commit does: the totals of its first item locked, the second to come.
      await commit.query("begin");
      await commit.query("set local lock_timeout = '3s'");
      await commit.query("select 1 from public.item_stock_totals where item_id = $1 for update", [first]);

      await update.query("begin");
      // Plans that read the items and their totals in the order they are stored (sequential scans,
      // as a large statement may), not in item order.
      await update.query("set local enable_indexscan = off; set local enable_bitmapscan = off");
      const updated = update.query("update public.items set name_en = 'Changed ' || sku where sku = any($1::text[])", [["ROW-LOCK-1", "ROW-LOCK-2"]]);
      expect(await waitsOnLock(db.query, updatePid)).toBe(true);

      // The update holds neither total while it waits: the commit takes its second one at once.
      await commit.query("select 1 from public.item_stock_totals where item_id = $1 for update", [second]);
      await commit.query("update public.item_stock_totals set on_hand = on_hand + 5 where item_id = any($1::uuid[])", [[first, second]]);
      await commit.query("commit");
      await updated;
      await update.query("commit");
    } finally {
      commit.release();
      update.release();
    }
    const rows = await db.query<{ name_en: string; on_hand: string }>(
      "select t.list_row ->> 'name_en' as name_en, t.list_row ->> 'on_hand' as on_hand from public.item_stock_totals t where t.item_id = any($1::uuid[]) order by t.item_id",
      [[first, second]],
    );
    expect(rows).toEqual([
      { name_en: "Changed ROW-LOCK-1", on_hand: "5.000" },
      { name_en: "Changed ROW-LOCK-2", on_hand: "5.000" },
    ]);
    expect(await staleItemListRows(db.query)).toEqual([]);
  });
});
