import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { applyImport, recordImport, validateImport } from "@/lib/data/imports";
import { as } from "../helpers/as";
import { USERS } from "../helpers/demo";
import { openPgTestDatabase, type PgTestDatabase } from "../helpers/pg";

// Applying one import from several connections at once (real Postgres: PGlite has one
// connection): the import row is locked, one call writes, every other answers the same result.

let db: PgTestDatabase;
const SEL = "10000000-0000-4000-8000-000000000001";

beforeAll(async () => {
  db = await openPgTestDatabase();
  setTransport(new PostgresTransport(createPool(db.url, { max: 10 })));
});

async function ready(kind: "items" | "inbound", rows: (string | null)[][], mapping: Record<string, number>) {
  const rec = await recordImport(
    USERS.korean.id,
    kind,
    { fileName: "race.xlsx", fileSize: 1, sheetName: null, headerRow: 1, headers: ["a", "b", "c"], rows: rows.map((cells, i) => ({ row_no: i + 2, cells })) },
    mapping,
    kind === "items" ? {} : { location_id: SEL },
  );
  const validated = await validateImport(as("korean"), rec.id);
  expect(validated.status).toBe("ready");
  return rec.id;
}

describe("imports applied in parallel", () => {
  it("eight applies of one items import: one write, one answer", async () => {
    const t = randomUUID().slice(0, 8).toUpperCase();
    const id = await ready("items", Array.from({ length: 50 }, (_, i) => [`RACE${i}-${t}`, `경합 ${i}`, null]), { sku: 0, name_ko: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, () => applyImport(as("korean"), id)));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0].created).toBe(50);
    const rows = await db.query<{ n: number }>("select count(*)::int as n from public.items where sku like $1", [`%-${t}`]);
    expect(rows).toEqual([{ n: 50 }]);
    const audit = await db.query<{ n: number }>("select count(*)::int as n from public.audit_log where import_id = $1 and table_name = 'items'", [id]);
    expect(audit).toEqual([{ n: 50 }]);
  });

  it("eight applies of one packing list: one draft inbound", async () => {
    const id = await ready("inbound", [["KEYB-FELT", "3", null]], { sku: 0, qty: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, () => applyImport(as("korean"), id)));
    expect(new Set(results.map((r) => r.flow?.id)).size).toBe(1);
    const flows = await db.query<{ n: number }>("select count(*)::int as n from public.flows where reference = 'race.xlsx' and kind = 'inbound'");
    expect(flows).toEqual([{ n: 1 }]);
  });
});
