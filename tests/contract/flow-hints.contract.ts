import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFlow, flowAction, getFlow, listFlows, updateFlow } from "@/lib/data/flows";
import { createItem } from "@/lib/data/items";
import { listStocks } from "@/lib/data/stocks";
import { as } from "../helpers/as";
import { CUSTOMERS } from "../helpers/demo";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";

// Stock hints before commit (shortfalls on every flow answer and short_lines in the list), the
// customer an outbound of a customer's goods must name, and the stock list's search
// (migration 20261206050100).

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

function describeFlowHintsContract(makeDb: MakeDb) {
  describe("flow stock hints and the outbound's customer", () => {
    const getDb = databaseForSuite(makeDb);

    const locationId = async (code: string) => (await getDb().query<{ id: string }>("select id from public.locations where code = $1", [code]))[0].id;
    const newItem = (owner?: string) => {
      const tag = randomUUID().replaceAll("-", "").slice(0, 12);
      return createItem(as("admin"), {
        sku: `HINT-${tag}`,
        name_ko: "힌트 시험",
        unit: "EA",
        reorder_point: 0,
        unit_cost: 0,
        customer_id: owner ?? null,
        barcode: `BC-${tag}`,
      });
    };
    const commitAll = async (id: string) => {
      await flowAction(as("korean"), "submit", id);
      await flowAction(as("manager"), "approve", id);
      return flowAction(as("manager"), "commit", id);
    };
    const stockUp = async (itemId: string, qty: number, location = "KR-SEL") => {
      const flow = await createFlow(as("korean"), { kind: "inbound", to_location_id: await locationId(location), lines: [{ item_id: itemId, qty }] });
      await commitAll(flow.id);
    };
    const shortLinesOf = async (id: string, status: "draft" | "submitted" | "approved") => {
      const list = await listFlows(as("manager"), { status, page: 1, limit: 100 });
      return list.data.find((f) => f.id === id)?.short_lines;
    };

    it("an outbound of 100 with 9 in the warehouse says the shortfall at every step, and commit still refuses", async () => {
      const item = await newItem();
      await stockUp(item.id, 9);
      await stockUp(item.id, 500, "CN-YIW");
      const sel = await locationId("KR-SEL");
      const created = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, lines: [{ item_id: item.id, qty: 100 }] });
      const expected = [expect.objectContaining({ line_no: 1, item_id: item.id, sku: item.sku, location_id: sel, location_code: "KR-SEL", requested: 100, available: 9, short: 91 })];
      expect(created.shortfalls).toEqual(expected);
      expect(await shortLinesOf(created.id, "draft")).toBe(1);
      const submitted = await flowAction(as("korean"), "submit", created.id);
      expect(submitted.shortfalls).toEqual(expected);
      expect(await shortLinesOf(created.id, "submitted")).toBe(1);
      const approved = await flowAction(as("manager"), "approve", created.id);
      expect(approved.shortfalls).toEqual(expected);
      expect(await shortLinesOf(created.id, "approved")).toBe(1);
      expect((await getFlow(as("manager"), created.id)).shortfalls).toEqual(expected);
      await expect(flowAction(as("manager"), "commit", created.id)).rejects.toEqual(appError("insufficient_stock"));
    });

    it("no shortfall when the warehouse has enough; the hint follows the stock, and a committed flow has none", async () => {
      const item = await newItem();
      await stockUp(item.id, 9);
      const sel = await locationId("KR-SEL");
      const flow = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, lines: [{ item_id: item.id, qty: 9 }] });
      expect(flow.shortfalls).toEqual([]);
      expect(await shortLinesOf(flow.id, "draft")).toBe(0);
      // A second outbound takes 5 first: the first one is short now.
      const other = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, lines: [{ item_id: item.id, qty: 5 }] });
      await commitAll(other.id);
      expect((await getFlow(as("korean"), flow.id)).shortfalls).toEqual([expect.objectContaining({ requested: 9, available: 4, short: 5 })]);
      await updateFlow(as("korean"), flow.id, { lines: [{ item_id: item.id, qty: 4 }] });
      const committed = await commitAll(flow.id);
      expect(committed.status).toBe("committed");
      expect(committed.shortfalls).toEqual([]);
    });

    it("transfers and negative adjustments are checked at their source; inbounds never", async () => {
      const item = await newItem();
      await stockUp(item.id, 3);
      const [sel, yiw] = [await locationId("KR-SEL"), await locationId("CN-YIW")];
      const transfer = await createFlow(as("korean"), { kind: "transfer", from_location_id: sel, to_location_id: yiw, lines: [{ item_id: item.id, qty: 4 }] });
      expect(transfer.shortfalls).toEqual([expect.objectContaining({ location_code: "KR-SEL", requested: 4, available: 3, short: 1 })]);
      const minus = await createFlow(as("korean"), { kind: "adjustment", to_location_id: sel, lines: [{ item_id: item.id, qty: -5 }] });
      expect(minus.shortfalls).toEqual([expect.objectContaining({ requested: 5, available: 3, short: 2 })]);
      const plus = await createFlow(as("korean"), { kind: "adjustment", to_location_id: yiw, lines: [{ item_id: item.id, qty: 5 }] });
      expect(plus.shortfalls).toEqual([]);
      const inbound = await createFlow(as("korean"), { kind: "inbound", to_location_id: yiw, lines: [{ item_id: item.id, qty: 1000 }] });
      expect(inbound.shortfalls).toEqual([]);
    });

    it("an outbound of a customer's goods is refused on submit without that customer, and with another one", async () => {
      const owned = await newItem(CUSTOMERS.acme);
      await stockUp(owned.id, 10);
      const sel = await locationId("KR-SEL");
      const bare = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, lines: [{ item_id: owned.id, qty: 1 }] });
      await expect(flowAction(as("korean"), "submit", bare.id)).rejects.toEqual(
        expect.objectContaining({
          code: "validation_failed",
          details: [expect.objectContaining({ path: "customer_id", code: "customer_required", customer_id: CUSTOMERS.acme })],
        }),
      );
      expect((await getFlow(as("korean"), bare.id)).status).toBe("draft");
      await updateFlow(as("korean"), bare.id, { customer_id: CUSTOMERS.bluesky });
      await expect(flowAction(as("korean"), "submit", bare.id)).rejects.toEqual(
        expect.objectContaining({ code: "validation_failed", details: [expect.objectContaining({ code: "customer_mismatch" })] }),
      );
      await updateFlow(as("korean"), bare.id, { customer_id: CUSTOMERS.acme });
      const committed = await commitAll(bare.id);
      expect(committed).toMatchObject({ status: "committed", customer_id: CUSTOMERS.acme });
    });

    it("goods nobody owns ship with or without a customer; other kinds of a customer's goods need none", async () => {
      const free = await newItem();
      const owned = await newItem(CUSTOMERS.bluesky);
      await stockUp(free.id, 10);
      await stockUp(owned.id, 10);
      const [sel, yiw] = [await locationId("KR-SEL"), await locationId("CN-YIW")];
      const plain = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, lines: [{ item_id: free.id, qty: 1 }] });
      expect((await commitAll(plain.id)).status).toBe("committed");
      const named = await createFlow(as("korean"), { kind: "outbound", from_location_id: sel, customer_id: CUSTOMERS.acme, lines: [{ item_id: free.id, qty: 1 }] });
      expect((await commitAll(named.id)).status).toBe("committed");
      const transfer = await createFlow(as("korean"), { kind: "transfer", from_location_id: sel, to_location_id: yiw, lines: [{ item_id: owned.id, qty: 1 }] });
      expect((await commitAll(transfer.id)).status).toBe("committed");
    });

    it("the stock list searches SKU, names and the exact barcode, in both views", async () => {
      const item = await newItem();
      await stockUp(item.id, 2);
      await stockUp(item.id, 1, "CN-YIW");
      const bySku = await listStocks(as("korean"), { q: item.sku.toLowerCase(), page: 1, limit: 10 });
      expect(bySku.count).toBe(2);
      expect(bySku.data.every((r) => r.item_id === item.id)).toBe(true);
      const byBarcode = await listStocks(as("korean"), { q: item.barcode ?? "", page: 1, limit: 10 });
      expect(byBarcode.data.map((r) => r.item_id)).toEqual([item.id, item.id]);
      const none = await listStocks(as("korean"), { q: "no-such-thing-anywhere", page: 1, limit: 10 });
      expect(none.count).toBe(0);
      const lowByName = await listStocks(as("korean"), { low: true, q: "LCD-", page: 1, limit: 100 });
      expect(lowByName.count).toBeGreaterThan(0);
      expect(lowByName.data.every((r) => r.sku.includes("LCD-"))).toBe(true);
      await expect(listStocks(as("korean"), { q: "x".repeat(101), page: 1, limit: 10 })).rejects.toEqual(appError("bad_request"));
      await expect(listStocks(as("acme"), { q: "LCD", page: 1, limit: 10 })).rejects.toEqual(appError("forbidden"));
    });
  });
}

describeFlowHintsContract(contractDb);
