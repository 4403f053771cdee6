import { beforeAll, describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { createUser, type TestUser } from "../helpers/fixtures";
import {
  CALLERS,
  callAs,
  callerWho,
  DELETERS,
  expectedOutcome,
  expectServiceRoleActs,
  failure,
  outcome,
  rpc,
  STAFF,
  type Args,
  type FunctionSpec,
} from "../helpers/rpc-as";
import { attempt, become, becomeSuperuser, sqlAs, withRole, type Who } from "../helpers/sql-as";
import { databaseForSuite, type Query } from "../helpers/test-db";

// The catalogue's database contract: engines, locations, items and stock, and the audit log,
// notifications and idempotency keys of the same migration (tables and policies of
// 20261122000200, column grants of 20261122000700, the select policies of 20261205000200; the
// functions of 20261122000300 with item_create/item_update as redefined in 20261205000300 and
// items_list in 20261122000650). Every table for every role, every function allowed and denied,
// and each rule of the functions both ways. Tests run in rolled-back transactions on one database.

type Fx = { engine: string; sel: string; yiw: string; items: Record<string, string> };

const NOBODY = "00000000-0000-4000-8000-000000000000";

async function loadFixtures(q: Query): Promise<Fx> {
  const [engine] = await q<{ id: string }>("select id from public.engines where code = 'LCD'");
  const locations = await q<{ id: string; code: string }>("select id, code from public.locations");
  const items = await q<{ id: string; sku: string }>("select id, sku from public.items");
  return {
    engine: engine.id,
    sel: locations.find((l) => l.code === "KR-SEL")!.id,
    yiw: locations.find((l) => l.code === "CN-YIW")!.id,
    items: Object.fromEntries(items.map((i) => [i.sku, i.id])),
  };
}

/** A new item that was never in a flow (made by the superuser). */
async function unusedItem(q: Query, extra: { unit?: string } = {}): Promise<string> {
  const [row] = await q<{ id: string }>("insert into public.items (sku, name_ko, unit) values ('CT-UNUSED-1', '계약 시험', $1) returning id", [extra.unit ?? "EA"]);
  await q("insert into public.item_stock_totals (item_id, on_hand) values ($1, 0)", [row.id]);
  return row.id;
}

describe("inventory catalogue: database contract", () => {
  const getDb = databaseForSuite(contractDb);
  let fx: Fx;
  let deactivated: TestUser;
  let formerCustomer: TestUser;

  beforeAll(async () => {
    fx = await loadFixtures(getDb().query);
    deactivated = await createUser(getDb().query, { role: "manager", active: false });
    formerCustomer = await createUser(getDb().query, { role: "customer", customerId: CUSTOMERS.acme, active: false });
  });

  // -------------------------------------------------------------------------------------------
  describe("tables: every role, every operation", () => {
    // Which rows each table shows a customer (SQL over the table, $1 the customer's id).
    const SHIPPED = "exists (select 1 from private.all_flow_lines fl join public.flows f on f.id = fl.flow_id where fl.item_id = items.id and f.kind = 'outbound' and f.customer_id = $1)";
    const TABLES = [
      { table: "engines", key: "id::text", customer: "$1::uuid is null", some: false },
      { table: "locations", key: "id::text", customer: "$1::uuid is not null", some: true },
      { table: "items", key: "id::text", customer: `customer_id = $1 or ${SHIPPED}`, some: true },
      { table: "stocks", key: "item_id || '/' || location_id", customer: "exists (select 1 from public.items i where i.id = item_id and i.customer_id = $1)", some: true },
      { table: "item_stock_totals", key: "item_id::text", customer: "$1::uuid is null", some: false },
    ] as const;

    describe.each(TABLES)("$table", ({ table, key, customer, some }) => {
      const keys = async (who: Who) => (await sqlAs<{ k: string }>(getDb(), who, `select ${key} as k from public.${table}`)).map((r) => r.k).sort();

      it.each(STAFF)("%s (staff) reads every row", async (who) => {
        const all = (await getDb().query<{ k: string }>(`select ${key} as k from public.${table}`)).map((r) => r.k).sort();
        expect(all.length).toBeGreaterThan(0);
        expect(await keys(who)).toEqual(all);
      });

      it.each(["acme", "bluesky"] as const)("customer %s reads only what the policy gives their company", async (who) => {
        const own = (await getDb().query<{ k: string }>(`select ${key} as k from public.${table} where ${customer}`, [CUSTOMERS[who]])).map((r) => r.k).sort();
        expect(await keys(who)).toEqual(own);
        if (some) expect(own.length).toBeGreaterThan(0);
      });

      it("a deactivated manager, a deactivated customer user, a session without a profile and a token without a session read nothing", async () => {
        expect(await keys(deactivated)).toEqual([]);
        expect(await keys(formerCustomer)).toEqual([]);
        expect(await keys({ id: "00000000-0000-4000-8000-00000000dead" })).toEqual([]);
        expect(await keys({ id: USERS.acme.id, sessionId: null })).toEqual([]);
      });

      it("anon may not read", async () => {
        await expect(sqlAs(getDb(), "anon", `select 1 from public.${table}`)).rejects.toMatchObject({ code: "42501" });
      });

      it("the service role reads every row", async () => {
        const [{ n }] = await getDb().query<{ n: number }>(`select count(*)::int as n from public.${table}`);
        expect((await sqlAs<{ n: number }>(getDb(), "service_role", `select count(*)::int as n from public.${table}`))[0].n).toBe(n);
      });

      it.each(CALLERS)("%s may not insert, update or delete directly", async (caller) => {
        await withRole(getDb(), callerWho(caller, deactivated), async (q) => {
          for (const sql of [`insert into public.${table} default values`, `update public.${table} set updated_at = now()`, `delete from public.${table}`]) {
            expect(await attempt(q, sql), sql).toMatchObject({ ok: false, error: { code: "42501" } });
          }
        });
      });
    });

    it("a customer sees another company's goods nowhere", async () => {
      const acme = await sqlAs<{ customer_id: string | null }>(getDb(), "acme", "select customer_id from public.items");
      expect(acme.some((i) => i.customer_id === CUSTOMERS.bluesky)).toBe(false);
      const stock = await sqlAs(getDb(), "bluesky", "select 1 from public.stocks s join public.items i on i.id = s.item_id where i.customer_id = $1", [CUSTOMERS.acme]);
      expect(stock).toEqual([]);
    });

    it.each(["admin", "korean", "acme"] as const)("%s may not read costs, reorder points or timestamps of items and locations directly (not granted)", async (who) => {
      for (const sql of [
        "select unit_cost from public.items",
        "select reorder_point from public.items",
        "select engine_id from public.items",
        "select created_at from public.locations",
      ]) {
        await expect(sqlAs(getDb(), who, sql)).rejects.toMatchObject({ code: "42501" });
      }
      expect((await sqlAs(getDb(), who, "select id, sku, name_ko, unit from public.items")).length).toBeGreaterThan(0);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("the inventory migration's other tables: audit log, notifications, idempotency keys", () => {
    it.each(CALLERS)("%s: the audit log is the admin's to read, nobody's to write", async (caller) => {
      const [{ n }] = await getDb().query<{ n: number }>("select count(*)::int as n from public.audit_log");
      expect(n).toBeGreaterThan(0);
      await withRole(getDb(), callerWho(caller, deactivated), async (q) => {
        const read = await attempt<{ n: number }>(q, "select count(*)::int as n from public.audit_log");
        if (caller === "anon") expect(read).toMatchObject({ ok: false, error: { code: "42501" } });
        else expect(read).toEqual({ ok: true, rows: [{ n: caller === "admin" ? n : 0 }] });
        for (const sql of ["insert into public.audit_log (action, table_name) values ('x', 'y')", "update public.audit_log set action = 'x'", "delete from public.audit_log"]) {
          expect(await attempt(q, sql), sql).toMatchObject({ ok: false, error: { code: "42501" } });
        }
      });
    });

    it.each(CALLERS)("%s: notifications are staff's to read, nobody's to write", async (caller) => {
      await getDb().rolledBack(async (q) => {
        await q("insert into public.notifications (kind, item_id, payload) values ('low_stock', $1, '{}')", [fx.items["LCD-24-FHD"]]);
        const [{ n }] = await q<{ n: number }>("select count(*)::int as n from public.notifications");
        await become(q, callerWho(caller, deactivated));
        const read = await attempt<{ n: number }>(q, "select count(*)::int as n from public.notifications");
        if (caller === "anon") expect(read).toMatchObject({ ok: false, error: { code: "42501" } });
        else expect(read).toEqual({ ok: true, rows: [{ n: (STAFF as readonly string[]).includes(caller) ? n : 0 }] });
        for (const sql of ["insert into public.notifications (kind) values ('low_stock')", "update public.notifications set read_at = now()", "delete from public.notifications"]) {
          expect(await attempt(q, sql), sql).toMatchObject({ ok: false, error: { code: "42501" } });
        }
      });
    });

    it.each(CALLERS)("%s may not touch idempotency keys directly (only rpc_idempotent does)", async (caller) => {
      await withRole(getDb(), callerWho(caller, deactivated), async (q) => {
        for (const sql of [
          "select 1 from public.idempotency_keys",
          "insert into public.idempotency_keys (actor_id, key, request_hash) values (gen_random_uuid(), 'k', 'h')",
          "delete from public.idempotency_keys",
        ]) {
          expect(await attempt(q, sql), sql).toMatchObject({ ok: false, error: { code: "42501" } });
        }
      });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("functions: who may call them", () => {
    const FUNCTIONS: FunctionSpec<Fx>[] = [
      { fn: "engines_list", allowed: STAFF, args: () => ({}) },
      { fn: "engine_get", allowed: STAFF, args: (_q, f) => ({ p_id: f.engine }) },
      { fn: "engine_create", allowed: STAFF, args: () => ({ p_data: { code: "CT-ENG", name_ko: "계약" } }) },
      { fn: "engine_update", allowed: STAFF, args: (_q, f) => ({ p_id: f.engine, p_patch: { name_en: "LCD monitors" } }) },
      { fn: "locations_list", allowed: STAFF, args: () => ({}) },
      { fn: "location_get", allowed: STAFF, args: (_q, f) => ({ p_id: f.sel }) },
      { fn: "location_create", allowed: STAFF, args: () => ({ p_data: { code: "KR-BSN", name: "Busan", country: "KR" } }) },
      { fn: "location_update", allowed: STAFF, args: (_q, f) => ({ p_id: f.yiw, p_patch: { name: "Yiwu" } }) },
      { fn: "items_list", allowed: STAFF, args: () => ({}) },
      { fn: "item_get", allowed: STAFF, args: (_q, f) => ({ p_id: f.items["LCD-24-FHD"] }) },
      { fn: "item_create", allowed: STAFF, args: () => ({ p_data: { sku: "CT-NEW-1", name_ko: "새 품목" } }) },
      { fn: "item_update", allowed: STAFF, args: (_q, f) => ({ p_id: f.items["LCD-24-FHD"], p_patch: { reorder_point: 25 } }) },
      { fn: "item_delete", allowed: DELETERS, args: async (q) => ({ p_id: await unusedItem(q) }) },
    ];

    it("no function of the catalogue is executable by anon or PUBLIC", async () => {
      const rows = await getDb().query(
        `select p.oid::regprocedure::text as fn, r.rolname as grantee
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         cross join (values ('anon'), ('public')) r (rolname)
         where n.nspname in ('public', 'private') and p.prorettype <> 'trigger'::regtype
           and (p.proname like 'engine%' or p.proname like 'location%' or p.proname like 'item%' or p.proname like 'stock%'
                or p.proname in ('begin_action', 'pick', 'page_offset', 'like_pattern', 'check_item_numbers'))
           and has_function_privilege(r.rolname, p.oid, 'EXECUTE')`,
      );
      expect(rows).toEqual([]);
    });

    describe.each(FUNCTIONS)("$fn", (spec) => {
      it.each(CALLERS)("%s", async (caller) => {
        expect(await callAs(getDb(), spec, fx, callerWho(caller, deactivated))).toBe(expectedOutcome(caller, spec.allowed));
      });

      it("the service role acts only for the actor it names", async () => {
        await expectServiceRoleActs(getDb(), spec, fx);
      });
    });

    it("a deactivated customer user is refused like a deactivated manager", async () => {
      await withRole(getDb(), formerCustomer, async (q) => {
        expect(await outcome(q, "items_list")).toBe("unauthorized");
      });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("rules of the write functions", () => {
    const CREATE_CASES: { name: string; fn: string; args: Args; expected: string }[] = [
      { name: "an engine", fn: "engine_create", args: { p_data: { code: "CT-1", name_ko: "엔진" } }, expected: "ok" },
      { name: "an engine with a lower-case code", fn: "engine_create", args: { p_data: { code: "ct-1", name_ko: "엔진" } }, expected: "23514" },
      { name: "an engine without a name", fn: "engine_create", args: { p_data: { code: "CT-1" } }, expected: "23502" },
      { name: "an engine with a taken code", fn: "engine_create", args: { p_data: { code: "LCD", name_ko: "엔진" } }, expected: "23505" },
      { name: "a location in Japan", fn: "location_create", args: { p_data: { code: "JP-TYO", name: "Tokyo", country: "JP" } }, expected: "23514" },
      { name: "a location with a taken code", fn: "location_create", args: { p_data: { code: "KR-SEL", name: "Seoul 2", country: "KR" } }, expected: "23505" },
      { name: "an item", fn: "item_create", args: { p_data: { sku: "CT-ITEM-1", name_ko: "품목", unit: "BOX", reorder_point: 2.5, unit_cost: 10.25 } }, expected: "ok" },
      { name: "an item whose SKU differs only in case", fn: "item_create", args: { p_data: { sku: "lcd-24-fhd", name_ko: "품목" } }, expected: "23505" },
      { name: "an item in an unknown unit", fn: "item_create", args: { p_data: { sku: "CT-ITEM-1", name_ko: "품목", unit: "LB" } }, expected: "23514" },
      { name: "an item with a negative reorder point", fn: "item_create", args: { p_data: { sku: "CT-ITEM-1", name_ko: "품목", reorder_point: -1 } }, expected: "23514" },
      { name: "an item costing three decimals", fn: "item_create", args: { p_data: { sku: "CT-ITEM-1", name_ko: "품목", unit_cost: 1.005 } }, expected: "validation_failed" },
      { name: "an item of an unknown engine", fn: "item_create", args: { p_data: { sku: "CT-ITEM-1", name_ko: "품목", engine_id: NOBODY } }, expected: "23503" },
    ];

    it.each(CREATE_CASES)("$fn: $name → $expected", async ({ fn, args, expected }) => {
      await withRole(getDb(), "chinese", async (q) => {
        expect(await outcome(q, fn, args)).toBe(expected);
      });
    });

    it("a new item starts with a stock total of zero; item_get lists its stock per active location", async () => {
      await withRole(getDb(), "korean", async (q) => {
        const item = await rpc<{ id: string }>(q, "item_create", { p_data: { sku: "CT-ITEM-2", name_ko: "품목" } });
        const detail = await rpc<{ on_hand: number; stocks: { location_id: string; on_hand: number }[] }>(q, "item_get", { p_id: item.id });
        expect(detail.stocks.map((s) => [s.location_id, Number(s.on_hand)]).sort()).toEqual([
          [fx.sel, 0],
          [fx.yiw, 0],
        ].sort());
        await becomeSuperuser(q);
        expect(await q("select on_hand::int as n from public.item_stock_totals where item_id = $1", [item.id])).toEqual([{ n: 0 }]);
      });
    });

    it("an update changes only the fields it names", async () => {
      await withRole(getDb(), "korean", async (q) => {
        const before = await rpc<Record<string, unknown>>(q, "item_get", { p_id: fx.items["LCD-27-QHD"] });
        const after = await rpc<Record<string, unknown>>(q, "item_update", { p_id: fx.items["LCD-27-QHD"], p_patch: { name_en: "QHD 27", id: NOBODY } });
        expect(after).toMatchObject({ id: before.id, sku: before.sku, name_ko: before.name_ko, unit_cost: before.unit_cost, name_en: "QHD 27" });
        const engine = await rpc<Record<string, unknown>>(q, "engine_update", { p_id: fx.engine, p_patch: { description: "x" } });
        expect(engine).toMatchObject({ id: fx.engine, code: "LCD", description: "x" });
      });
    });

    it.each([
      { fn: "engine_get", args: { p_id: NOBODY } },
      { fn: "engine_update", args: { p_id: NOBODY, p_patch: {} } },
      { fn: "location_get", args: { p_id: NOBODY } },
      { fn: "location_update", args: { p_id: NOBODY, p_patch: {} } },
      { fn: "item_get", args: { p_id: NOBODY } },
      { fn: "item_update", args: { p_id: NOBODY, p_patch: {} } },
      { fn: "item_delete", args: { p_id: NOBODY } },
    ])("$fn of an unknown id: not_found", async ({ fn, args }) => {
      await withRole(getDb(), "admin", async (q) => expect(await outcome(q, fn, args)).toBe("not_found"));
    });

    it("the unit of an item in stock cannot change; of an item without stock it can", async () => {
      await withRole(getDb(), "korean", async (q) => {
        expect(await outcome(q, "item_update", { p_id: fx.items["LCD-24-FHD"], p_patch: { unit: "BOX" } })).toBe("conflict");
        await becomeSuperuser(q);
        const unused = await unusedItem(q);
        await become(q, "korean");
        expect(await outcome(q, "item_update", { p_id: unused, p_patch: { unit: "BOX" } })).toBe("ok");
      });
    });

    it("deleting: refused with stock on hand, deactivates an item with history, removes one never used", async () => {
      await withRole(getDb(), "manager", async (q) => {
        const inStock = await failure(q, "item_delete", { p_id: fx.items["LCD-24-FHD"] });
        expect(inStock).toEqual({ code: "conflict", details: { on_hand: expect.anything() } });

        // In a draft flow, never in stock: the flow line keeps pointing at it.
        const history = await rpc<{ deleted: boolean; deactivated: boolean; item: { active: boolean } }>(q, "item_delete", {
          p_id: await itemWithHistoryOnly(q, fx),
        });
        expect(history).toMatchObject({ deleted: false, deactivated: true, item: { active: false } });

        await becomeSuperuser(q);
        const unused = await unusedItem(q);
        await become(q, "manager");
        expect(await rpc(q, "item_delete", { p_id: unused })).toMatchObject({ deleted: true, deactivated: false });
        await becomeSuperuser(q);
        expect(await q("select 1 from public.items where id = $1", [unused])).toEqual([]);
      });
    });

    it.each([
      { fn: "items_list", args: { p_sort: "price" }, expected: "bad_request" },
      { fn: "items_list", args: { p_page: 0 }, expected: "bad_request" },
      { fn: "engines_list", args: { p_limit: 101 }, expected: "bad_request" },
      { fn: "locations_list", args: { p_limit: 0 }, expected: "bad_request" },
      { fn: "items_list", args: { p_sort: "-on_hand", p_limit: 100 }, expected: "ok" },
    ])("$fn with $args: $expected", async ({ fn, args, expected }) => {
      await withRole(getDb(), "chinese", async (q) => expect(await outcome(q, fn, args)).toBe(expected));
    });

    it("items_list filters by customer, engine, activity and text (a % is literal)", async () => {
      await withRole(getDb(), "chinese", async (q) => {
        const own = await rpc<{ data: { customer_id: string }[]; count: number }>(q, "items_list", { p_customer_id: CUSTOMERS.acme, p_limit: 100 });
        expect(own.count).toBeGreaterThan(0);
        expect(own.data.every((i) => i.customer_id === CUSTOMERS.acme)).toBe(true);
        const byText = await rpc<{ data: { sku: string }[] }>(q, "items_list", { p_q: "acme", p_limit: 100 });
        expect(byText.data.map((i) => i.sku).sort()).toEqual(["KEYB-ACME-KR", "LCD-ACME-27", "LCD-ACME-STD"]);
        expect((await rpc<{ count: number }>(q, "items_list", { p_q: "%" })).count).toBe(0);
        const engine = await rpc<{ data: { engine_id: string }[] }>(q, "items_list", { p_engine_id: fx.engine, p_limit: 100 });
        expect(engine.data.every((i) => i.engine_id === fx.engine)).toBe(true);
        const locations = await rpc<{ data: { country: string }[] }>(q, "locations_list", { p_country: "CN" });
        expect(locations.data.map((l) => l.country)).toEqual(["CN"]);
      });
    });
  });
});

/** An item that was in a (draft) flow but has no stock: deleting it only deactivates it. */
async function itemWithHistoryOnly(q: Query, fx: Fx): Promise<string> {
  const item = await rpc<{ id: string }>(q, "item_create", { p_data: { sku: "CT-HISTORY-1", name_ko: "이력" } });
  await rpc(q, "flow_create", { p_kind: "inbound", p_lines: [{ item_id: item.id, qty: 1 }], p_to_location_id: fx.sel });
  return item.id;
}
