import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFlow, flowAction, updateFlow } from "@/lib/data/flows";
import { createItem } from "@/lib/data/items";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, type DemoUser } from "../helpers/demo";
import { attempt, becomeSuperuser, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// A customer may read the goods on its own shipments (the items policy). Since
// 20261224000100_customer_shipped_items.sql the goods of its committed shipments are kept as they
// are committed (public.customer_shipped_items) instead of being gathered from every shipment's
// lines on every read; the open and cancelled ones are read from their lines. The set must stay
// exactly what the shipments' lines say.

const CUSTOMER_USERS = ["acme", "bluesky"] as const;
const OTHER = { acme: "bluesky", bluesky: "acme" } as const;

function describeShippedItemsContract(makeDb: MakeDb) {
  describe("the goods a customer was shipped", () => {
    const getDb = databaseForSuite(makeDb);

    /** What every line of the customer's outbound flows says, read as the owner. */
    const truth = async (customer: string) =>
      (
        await getDb().query<{ item_id: string }>(
          `select distinct l.item_id from public.flows f join private.all_flow_lines l on l.flow_id = f.id
           where f.kind = 'outbound' and f.customer_id = $1 order by 1`,
          [customer],
        )
      ).map((r) => r.item_id);
    const shippedSet = async (who: DemoUser) =>
      (await sqlAs<{ item_id: string }>(getDb(), who, "select distinct s as item_id from private.my_shipped_items() s order by 1")).map((r) => r.item_id);
    const sees = async (who: DemoUser, itemId: string) =>
      (await sqlAs(getDb(), who, "select id from public.items where id = $1", [itemId])).length === 1;

    const locationId = async (code: string) => (await getDb().query<{ id: string }>("select id from public.locations where code = $1", [code]))[0].id;
    const newItem = () => createItem(as("admin"), { sku: `SHIP-${randomUUID().slice(0, 8)}`, name_ko: "출고 시험", unit: "EA", reorder_point: 0, unit_cost: 0 });
    const commit = async (flowId: string) => {
      for (const [who, step] of [["korean", "submit"], ["manager", "approve"], ["manager", "commit"]] as const) await flowAction(as(who), step, flowId);
    };
    const stockUp = async (itemId: string) =>
      commit((await createFlow(as("korean"), { kind: "inbound", to_location_id: await locationId("KR-SEL"), lines: [{ item_id: itemId, qty: 10 }] })).id);
    const shipDraft = async (customer: string | null, itemId: string) =>
      createFlow(as("korean"), { kind: "outbound", from_location_id: await locationId("KR-SEL"), customer_id: customer, lines: [{ item_id: itemId, qty: 1 }] });

    it.each(CUSTOMER_USERS)("the seeded data: %s's set is what its shipments' lines say, and not the other's", async (who) => {
      const own = await truth(CUSTOMERS[who]);
      expect(own.length).toBeGreaterThan(0);
      expect(await shippedSet(who)).toEqual(own);
      const other = await truth(CUSTOMERS[OTHER[who]]);
      const otherOnly = other.filter((id) => !own.includes(id));
      expect(otherOnly.length).toBeGreaterThan(0);
      for (const id of otherOnly.slice(0, 3)) {
        expect(await sees(who, id)).toBe(false);
        expect(await sees(OTHER[who], id)).toBe(true);
      }
    });

    it("staff have no set of their own (they read every item by the policy's first case)", async () => {
      expect(await shippedSet("manager")).toEqual([]);
      await expect(sqlAs(getDb(), "anon", "select private.my_shipped_items()")).rejects.toMatchObject({ code: "42501" });
    });

    it("a draft's goods are shown while on it, gone when its line changes, and kept once a shipment is committed", async () => {
      const [first, second] = [await newItem(), await newItem()];
      await stockUp(first.id);
      await stockUp(second.id);
      expect(await sees("acme", first.id)).toBe(false);

      const draft = await shipDraft(CUSTOMERS.acme, first.id);
      expect(await sees("acme", first.id)).toBe(true);
      expect(await sees("bluesky", first.id)).toBe(false);

      // The line now ships the second item: the first is no longer on any of ACME's shipments.
      await updateFlow(as("korean"), draft.id, { lines: [{ item_id: second.id, qty: 1 }] });
      expect(await sees("acme", first.id)).toBe(false);
      expect(await sees("acme", second.id)).toBe(true);
      // Moved to Blue Sky while still a draft: now theirs, not ACME's.
      await updateFlow(as("korean"), draft.id, { customer_id: CUSTOMERS.bluesky });
      expect(await sees("acme", second.id)).toBe(false);
      expect(await sees("bluesky", second.id)).toBe(true);

      await commit(draft.id);
      expect(await getDb().query("select 1 from public.flow_lines where flow_id = $1", [draft.id])).toEqual([]);
      expect(await getDb().query("select customer_id, item_id from public.customer_shipped_items where item_id = $1", [second.id])).toEqual([
        { customer_id: CUSTOMERS.bluesky, item_id: second.id },
      ]);
      expect(await sees("bluesky", second.id)).toBe(true);
      expect(await sees("acme", second.id)).toBe(false);
      for (const who of CUSTOMER_USERS) expect(await shippedSet(who)).toEqual(await truth(CUSTOMERS[who]));
    });

    it("a second shipment of the same goods adds nothing; an outbound without a customer and a cancelled one keep nothing", async () => {
      const item = await newItem();
      await stockUp(item.id);
      for (let i = 0; i < 2; i++) await commit((await shipDraft(CUSTOMERS.acme, item.id)).id);
      expect(await getDb().query("select customer_id from public.customer_shipped_items where item_id = $1", [item.id])).toEqual([{ customer_id: CUSTOMERS.acme }]);

      const loose = await newItem();
      await stockUp(loose.id);
      await commit((await shipDraft(null, loose.id)).id);
      const cancelled = await shipDraft(CUSTOMERS.bluesky, loose.id);
      await flowAction(as("korean"), "cancel", cancelled.id, { reason: "test" });
      expect(await getDb().query("select 1 from public.customer_shipped_items where item_id = $1", [loose.id])).toEqual([]);
      // A cancelled shipment's lines stay its lines: Blue Sky still sees what was on it, as before.
      expect(await sees("bluesky", loose.id)).toBe(true);
      expect(await sees("acme", loose.id)).toBe(false);
    });

    it("a committed shipment keeps its customer, kind and status, whoever asks; its other columns may change", async () => {
      const [shipment] = await getDb().query<{ id: string }>(
        "select id from public.flows where kind = 'outbound' and status = 'committed' and customer_id = $1 limit 1",
        [CUSTOMERS.acme],
      );
      const refused = { ok: false, error: { code: "P0001", message: "forbidden" } };
      await withRole(getDb(), "service_role", async (q) => {
        expect(await attempt(q, "update public.flows set customer_id = null where id = $1", [shipment.id])).toMatchObject(refused);
        await becomeSuperuser(q);
        const changes: [string, unknown[]][] = [
          ["customer_id = $2", [CUSTOMERS.bluesky]],
          ["customer_id = null", []],
          ["kind = 'inbound', to_location_id = from_location_id, from_location_id = null", []],
          ["status = 'cancelled'", []],
        ];
        for (const [change, more] of changes) {
          expect(await attempt(q, `update public.flows set ${change} where id = $1`, [shipment.id, ...more]), change).toMatchObject(refused);
        }
        expect(await attempt(q, "update public.flows set note = 'checked', created_by = null where id = $1", [shipment.id])).toMatchObject({ ok: true });
        // A shipment not yet committed may still change customer (flow_update does it for drafts).
        const [open] = await q<{ id: string }>("select id from public.flows where kind = 'outbound' and status <> 'committed' and customer_id is not null limit 1");
        expect(await attempt(q, "update public.flows set customer_id = $2 where id = $1", [open.id, CUSTOMERS.bluesky])).toMatchObject({ ok: true });
      });
      expect(await getDb().query("select customer_id from public.flows where id = $1", [shipment.id])).toEqual([{ customer_id: CUSTOMERS.acme }]);
    });

    it("nobody outside the database reads or writes the kept set", async () => {
      for (const who of ["manager", "acme", "anon", "service_role"] as const) {
        await expect(sqlAs(getDb(), who, "select * from public.customer_shipped_items"), who).rejects.toMatchObject({ code: "42501" });
        await expect(
          sqlAs(getDb(), who, "insert into public.customer_shipped_items values ($1, $1)", [CUSTOMERS.acme]),
          who,
        ).rejects.toMatchObject({ code: "42501" });
      }
    });
  });
}

describeShippedItemsContract(contractDb);
