import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { listItems } from "@/lib/data/items";
import { as } from "../helpers/as";
import { itemMarksAndPlaces } from "../helpers/item-marks";
import { openPgTestDatabase, waitsOnLock, type PgTestDatabase } from "../helpers/pg";

// The item list's sku marks (public.item_sku_marks, 20261221000100) under transactions that add,
// rename and remove items at the same time (real Postgres: PGlite has one connection). Each
// statement's trigger makes the marks again after taking the marks table's lock, so whichever
// transaction commits last must leave marks that agree with every committed item.

let db: PgTestDatabase;

beforeAll(async () => {
  db = await openPgTestDatabase();
});

async function expectMarksAgree(): Promise<void> {
  const { marks, places } = await itemMarksAndPlaces(db.query);
  expect(marks).toEqual(places);
}

async function inTransaction(work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const c = await db.pool.connect();
  try {
    await c.query("begin");
    await work(c);
    await c.query("commit");
  } catch (error) {
    await c.query("rollback");
    throw error;
  } finally {
    c.release();
  }
}

const insertItems = (c: pg.PoolClient, prefix: string, n: number) =>
  c.query(`insert into public.items (sku, name_ko, unit) select $1 || lpad(g::text, 4, '0'), '동시 ' || g, 'EA' from generate_series(1, $2::int) g`, [prefix, n]);

describe("item sku marks under concurrent changes (real Postgres)", () => {
  it("a second transaction's insert waits for the first's marks, then makes them from both", async () => {
    const a = await db.pool.connect();
    const b = await db.pool.connect();
    try {
      const bPid = (await b.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0].pid;
      await a.query("begin");
      await b.query("begin");
      await insertItems(a, "CA-", 150);
      // b's statement trigger waits for a's lock on the marks.
      const bInsert = insertItems(b, "CB-", 150);
      expect(await waitsOnLock(db.query, bPid)).toBe(true);
      await a.query("commit");
      await bInsert;
      await b.query("commit");
    } finally {
      a.release();
      b.release();
    }
    await expectMarksAgree();
  });

  it("eight transactions adding, renaming and removing items at once: the marks agree with the items afterwards", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, k) =>
        inTransaction(async (c) => {
          await insertItems(c, `P${k}-`, 60 + k * 7);
          await c.query("select pg_sleep(0.01)");
          await c.query("update public.items set sku = 'A' || sku where sku like $1", [`P${k}-00_1`]);
          await c.query("delete from public.items where sku like $1", [`P${k}-002_`]);
        }),
      ),
    );
    await expectMarksAgree();
    const skus = (await db.query<{ sku: string }>("select sku from public.items order by sku")).map((r) => r.sku);
    const last = Math.ceil(skus.length / 20);
    for (const n of [1, 6, Math.floor(last / 2), last]) {
      const page = await listItems(as("korean"), { sort: "sku", page: n, limit: 20 });
      expect(page.count).toBe(skus.length);
      expect(page.data.map((r) => r.sku)).toEqual(skus.slice((n - 1) * 20, n * 20));
    }
  });
});
