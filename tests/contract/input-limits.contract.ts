import { describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { become, sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// Input limits in the SQL functions (migration 20261205000300), called directly as a signed-in
// user, as Supabase's /rest/v1/rpc lets anyone with a token do: a number with more decimals than
// its column keeps is refused rather than rounded, a new flow needs a line, and
// update_my_profile runs through rpc_idempotent.

const refused = expect.objectContaining({ code: "P0001", message: "validation_failed" });

function describeInputLimitsContract(makeDb: MakeDb) {
  describe("input limits in the SQL functions", () => {
    const getDb = databaseForSuite(makeDb);
    const one = async (sql: string, params: unknown[] = []) => (await sqlAs<{ r: Record<string, unknown> }>(getDb(), "korean", sql, params))[0].r;
    const anyItem = async () => (await getDb().query<{ id: string }>("select id from public.items where active order by sku limit 1"))[0].id;
    const location = async () => (await getDb().query<{ id: string }>("select id from public.locations where code = 'KR-SEL'"))[0].id;
    const item = (extra: Record<string, unknown>) => JSON.stringify({ sku: `LIM-${Math.random().toString(36).slice(2, 10)}`, name_ko: "한도", ...extra });

    it("item_create refuses a reorder point or cost the column would round; what fits is stored exactly", async () => {
      for (const extra of [{ reorder_point: 1.0005 }, { reorder_point: "1.0005" }, { unit_cost: 1.005 }, { reorder_point: 1e-7 }]) {
        await expect(one("select public.item_create($1::jsonb) as r", [item(extra)]), JSON.stringify(extra)).rejects.toEqual(refused);
      }
      const stored = await one("select public.item_create($1::jsonb) as r", [item({ reorder_point: 1.001, unit_cost: 1.15 })]);
      expect(Number(stored.reorder_point)).toBe(1.001);
      expect(Number(stored.unit_cost)).toBe(1.15);
      // Trailing zeros are not decimals lost.
      await expect(one("select public.item_create($1::jsonb) as r", [item({ reorder_point: "2.5000" })])).resolves.toBeTruthy();
    });

    it("item_update refuses the same, and leaves the item as it was", async () => {
      const id = await anyItem();
      const [before] = await getDb().query<{ reorder_point: string }>("select reorder_point::text from public.items where id = $1", [id]);
      await expect(one("select public.item_update($1, $2::jsonb) as r", [id, JSON.stringify({ reorder_point: 3.1415 })])).rejects.toEqual(refused);
      const [after] = await getDb().query<{ reorder_point: string }>("select reorder_point::text from public.items where id = $1", [id]);
      expect(after).toEqual(before);
      const ok = await one("select public.item_update($1, $2::jsonb) as r", [id, JSON.stringify({ reorder_point: 3.142 })]);
      expect(Number(ok.reorder_point)).toBe(3.142);
    });

    it("flow_create refuses no lines (empty or missing) and a quantity with 4 decimals; one good line creates it", async () => {
      const [itemId, loc] = await Promise.all([anyItem(), location()]);
      const create = (lines: unknown) =>
        one("select public.flow_create(p_kind => 'inbound', p_lines => $1::jsonb, p_to_location_id => $2) as r", [lines === null ? null : JSON.stringify(lines), loc]);
      await expect(create([])).rejects.toEqual(refused);
      await expect(create(null)).rejects.toEqual(refused);
      await expect(create([{ item_id: itemId, qty: 1.0005 }])).rejects.toEqual(refused);
      const flow = await create([{ item_id: itemId, qty: 1.001 }]);
      expect((flow.lines as { qty: number }[]).map((l) => Number(l.qty))).toEqual([1.001]);
    });

    it("a draft may still be emptied by flow_update (it then cannot be submitted)", async () => {
      const [itemId, loc] = await Promise.all([anyItem(), location()]);
      const r = await getDb().rolledBack(async (q) => {
        await become(q, "korean");
        return q<{ n: number }>(
          `with f as (select (public.flow_create(p_kind => 'inbound', p_lines => $1::jsonb, p_to_location_id => $2) ->> 'id')::uuid as id)
           select jsonb_array_length(public.flow_update((select id from f), '{"lines": []}'::jsonb) -> 'lines') as n`,
          [JSON.stringify([{ item_id: itemId, qty: 1 }]), loc],
        );
      });
      expect(r[0].n).toBe(0);
    });

    it("update_my_profile takes an Idempotency-Key: the retry replays, another body with the key is refused", async () => {
      const r = await getDb().rolledBack(async (q) => {
        await become(q, "korean");
        const call = (hash: string, name: string) =>
          q<{ r: { replayed: boolean; result: { display_name: string } } }>(
            "select public.rpc_idempotent('key-1', $1, 'update_my_profile', $2::jsonb) as r",
            [hash, JSON.stringify({ p_display_name: name })],
          );
        const first = (await call("h1", "First"))[0].r;
        const again = (await call("h1", "Second"))[0].r;
        const mismatch = await call("h2", "Third").then(() => null, (e: unknown) => e);
        return { first, again, mismatch };
      });
      expect(r.first).toMatchObject({ replayed: false, result: { display_name: "First" } });
      expect(r.again).toMatchObject({ replayed: true, result: { display_name: "First" } });
      expect(r.mismatch).toEqual(expect.objectContaining({ message: "idempotency_mismatch" }));
    });
  });
}

describeInputLimitsContract(contractDb);
