import { describe, expect, it } from "vitest";
import { call, defineFunction } from "@/lib/db";
import { exportBatches, exportFunctions, type ExportFilters, type ExportFunctionName, type ExportRow } from "@/lib/data/exports";
import { listFlows } from "@/lib/data/flows";
import { listItems } from "@/lib/data/items";
import { listInspections } from "@/lib/data/inspections";
import { listStocks, listLedger } from "@/lib/data/stocks";
import { listCustomers } from "@/lib/data/customers";
import { listUsers } from "@/lib/data/users";
import { listAudit } from "@/lib/data/audit";
import { listMyShipments, listMyStock } from "@/lib/data/portal";
import { fnAttachmentsList } from "@/lib/data/attachments";
import { ITEM_SORTS } from "@/lib/schemas/inventory";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { sqlAs } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// The export functions (migration 20261205000600): keyset batches must give exactly the rows of
// the list they export, in the list's order, whatever the batch size; each refuses whom its list
// refuses; what customers read never carries costs, internal notes or emails.

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });

async function all<N extends ExportFunctionName>(user: DemoUser, name: N, filters: ExportFilters<N>, batch: number): Promise<ExportRow[]> {
  const out: ExportRow[] = [];
  for await (const rows of exportBatches(as(user), name, filters, batch)) out.push(...rows);
  return out;
}

/** The export in batches of 3 equals it in one batch, and is returned. */
async function consistent<N extends ExportFunctionName>(user: DemoUser, name: N, filters: ExportFilters<N>): Promise<ExportRow[]> {
  const [small, big] = [await all(user, name, filters, 3), await all(user, name, filters, 10000)];
  expect(small).toEqual(big);
  return big;
}

function describeExportsContract(makeDb: MakeDb) {
  describe("export functions", () => {
    const getDb = databaseForSuite(makeDb);

    it("items: every sort, in batches of 3, gives the list's rows in the list's order", async () => {
      // Ties on cost and stock make the SKU tie-breaker matter.
      await getDb().query(
        `insert into public.items (sku, name_ko, name_zh, unit, unit_cost)
         select 'EXP-' || lpad(g::text, 3, '0'), '내보내기 시험 ' || (g % 4), '导出测试 ' || g, 'EA', (g % 3) * 1000
         from generate_series(1, 40) g`,
      );
      for (const sort of ITEM_SORTS) {
        const list = await listItems(as("korean"), { sort, page: 1, limit: 100 });
        const rows = await consistent("korean", "items", { p_sort: sort });
        expect(rows.length, sort).toBe(list.count);
        expect(rows.slice(0, 100).map((r) => r.sku), sort).toEqual(list.data.map((r) => r.sku));
      }
      const filtered = await consistent("korean", "items", { p_q: "EXP-0", p_sort: "-unit_cost" });
      const list = await listItems(as("korean"), { q: "EXP-0", sort: "-unit_cost", page: 1, limit: 100 });
      expect(filtered.map((r) => r.sku)).toEqual(list.data.map((r) => r.sku));
      expect(filtered.length).toBe(list.count);
      expect(typeof filtered[0].unit_cost).toBe("number");
    });

    it("flows: one row per line, flows in the list's order, lines in order", async () => {
      const rows = await consistent("korean", "flows", {});
      const list = await listFlows(as("korean"), { page: 1, limit: 100 });
      const numbers = [...new Set(rows.map((r) => r.number))];
      expect(numbers.slice(0, 100)).toEqual(list.data.map((f) => f.number));
      expect(numbers.length).toBe(list.count);
      const lines = await getDb().query<{ n: string }>("select count(*)::text as n from private.all_flow_lines");
      const empty = await getDb().query<{ n: string }>("select count(*)::text as n from public.flows f where not exists (select 1 from private.all_flow_lines l where l.flow_id = f.id)");
      expect(rows.length).toBe(Number(lines[0].n) + Number(empty[0].n));
      const inbound = await consistent("korean", "flows", { p_kind: "inbound" });
      expect(inbound.length).toBeGreaterThan(0);
      expect(inbound.every((r) => r.kind === "inbound")).toBe(true);
    });

    it("stocks: the page's search (SKU, names, barcode) narrows the file as it narrows the list, low or not", async () => {
      const stockList = await listStocks(as("korean"), { page: 1, limit: 100 });
      const [probe] = stockList.data;
      for (const q of [probe.sku, probe.name_ko]) {
        const found = await consistent("korean", "stocks", { p_q: q });
        const foundList = await listStocks(as("korean"), { q, page: 1, limit: 100 });
        expect(found.length, q).toBeGreaterThan(0);
        expect(found.length, q).toBeLessThan(stockList.count);
        expect(found.map((r) => `${r.sku}@${r.location_code}`), q).toEqual(foundList.data.map((r) => `${r.sku}@${r.location_code}`));
      }
      const lowList = await listStocks(as("korean"), { low: true, page: 1, limit: 100 });
      const lowSearch = await consistent("korean", "stocks", { p_low: true, p_q: lowList.data[0].sku });
      expect(lowSearch.map((r) => r.sku)).toEqual([lowList.data[0].sku]);
      expect(await consistent("korean", "stocks", { p_q: "no-such-stock-anywhere" })).toEqual([]);
    });

    it("stocks, ledger, customers, users, audit: the list's rows in the list's order", async () => {
      const stocks = await consistent("korean", "stocks", {});
      const stockList = await listStocks(as("korean"), { page: 1, limit: 100 });
      expect(stocks.length).toBe(stockList.count);
      expect(stocks.slice(0, 100).map((r) => `${r.sku}@${r.location_code}`)).toEqual(stockList.data.map((r) => `${r.sku}@${r.location_code}`));
      const low = await consistent("korean", "stocks", { p_low: true });
      const lowList = await listStocks(as("korean"), { low: true, page: 1, limit: 100 });
      expect(low.map((r) => r.sku)).toEqual(lowList.data.map((r) => r.sku));

      const ledger = await consistent("korean", "ledger", {});
      const ledgerList = await listLedger(as("korean"), { limit: 200 });
      expect(ledger.slice(0, 200).map((r) => r.id)).toEqual(ledgerList.data.map((r) => r.id));
      const total = await getDb().query<{ n: string }>("select count(*)::text as n from public.stock_movements");
      expect(ledger.length).toBe(Number(total[0].n));

      const customers = await consistent("korean", "customers", {});
      const customerList = await listCustomers(as("korean"), { page: 1, limit: 100 });
      expect(customers.map((r) => r.code)).toEqual(customerList.data.map((r) => r.code));

      const users = await consistent("admin", "users", {});
      const userList = await listUsers(as("admin"), { page: 1, limit: 100 });
      expect(users.map((r) => r.email)).toEqual(userList.data.map((r) => r.email));

      const audit = await consistent("admin", "audit", {});
      const auditList = await listAudit(as("admin"), { page: 1, limit: 100 });
      expect(audit.length).toBe(auditList.count);
      expect(audit.slice(0, 100).map((r) => r.id)).toEqual(auditList.data.map((r) => r.id));
    });

    it("inspections: staff rows carry internal notes, a customer's only their company's and no notes", async () => {
      await getDb().query("update public.inspection_applications set internal_notes = 'SECRET-' || number");
      const staff = await consistent("korean", "inspections", {});
      const list = await listInspections(as("korean"), { page: 1, limit: 100 });
      expect(staff.map((r) => r.number)).toEqual(list.data.map((r) => r.number));
      expect(staff.every((r) => String(r.internal_notes).startsWith("SECRET-"))).toBe(true);
      // Names and notes are read once per batch (20261223000700): each row still has its own.
      expect(staff.map((r) => [r.inspector_name ?? null, r.internal_notes])).toEqual(list.data.map((r) => [r.inspector_name ?? null, `SECRET-${r.number}`]));
      expect(staff.some((r) => r.inspector_name)).toBe(true);

      const mine = await consistent("acme", "inspections", {});
      const acmeList = await listInspections(as("acme"), { page: 1, limit: 100 });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.map((r) => r.number)).toEqual(acmeList.data.map((r) => r.number));
      const acmeNumbers = await getDb().query<{ number: string }>("select number from public.inspection_applications where customer_id = $1", [CUSTOMERS.acme]);
      expect(new Set(mine.map((r) => r.number))).toEqual(new Set(acmeNumbers.map((r) => r.number)));
      expect(JSON.stringify(mine)).not.toMatch(/SECRET-|internal_notes|@/);
    });

    it("portal: a customer's stock and shipments are their own, without costs or emails", async () => {
      const stock = await consistent("acme", "portalStock", {});
      const stockList = await listMyStock(as("acme"), { page: 1, limit: 100 });
      expect(stock.map((r) => r.sku)).toEqual(stockList.data.map((r) => r.sku));
      const owned = await getDb().query<{ sku: string }>("select sku from public.items where customer_id = $1 and active", [CUSTOMERS.acme]);
      expect(new Set(stock.map((r) => r.sku))).toEqual(new Set(owned.map((r) => r.sku)));

      const shipments = await consistent("acme", "portalShipments", {});
      const shipmentList = await listMyShipments(as("acme"), { page: 1, limit: 100 });
      expect([...new Set(shipments.map((r) => r.number))]).toEqual(shipmentList.data.map((s) => s.number));
      // Every line of every shipment, once: batches are cut by shipment, then by line.
      const lines = await getDb().query<{ number: string; line_no: number }>(
        `select f.number, l.line_no from public.flows f join private.all_flow_lines l on l.flow_id = f.id
         where f.kind = 'outbound' and f.customer_id = $1 and f.status <> 'draft' order by f.created_at desc, f.number desc, l.line_no`,
        [CUSTOMERS.acme],
      );
      expect(lines.length).toBeGreaterThan(shipmentList.data.length);
      expect(shipments.map((r) => ({ number: r.number, line_no: r.line_no }))).toEqual(lines);
      const text = JSON.stringify([...stock, ...shipments]);
      expect(text).not.toMatch(/unit_cost|internal|email|@/);
      expect(await consistent("bluesky", "portalShipments", {})).not.toEqual(expect.arrayContaining([expect.objectContaining({ number: shipments[0]?.number })]));
    });

    // 20261225000100: the list and the export read files through one condition
    // (private.attachments_where) after the same checks (private.attachments_scope).
    it("files: the export gives the list's files in the list's order, for the staff and each customer (its shared files only)", async () => {
      const [acmeInspection] = await getDb().query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 limit 1", [CUSTOMERS.acme]);
      await getDb().query(
        `insert into public.attachments (customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path, internal, created_at)
         select c, case when g % 3 = 0 and c = $1::uuid then $3::uuid end, (array['report', 'photo', 'document'])[1 + g % 3], 'exp-' || g || '.pdf',
                'application/pdf', 1000, c::text || '/' || gen_random_uuid(), g % 4 = 1, now() - interval '10 days' + (g / 2) * interval '1 hour'
         from generate_series(1, 30) g
         cross join lateral (select case when g % 2 = 0 then $1::uuid else $2::uuid end as c) x`,
        [CUSTOMERS.acme, CUSTOMERS.bluesky, acmeInspection.id],
      );
      const cases: [DemoUser, { p_inspection_id?: string; p_customer_id?: string; p_kind?: "report" | "photo" | "document" }][] = [
        ["chinese", {}],
        ["chinese", { p_customer_id: CUSTOMERS.acme, p_kind: "report" }],
        ["chinese", { p_inspection_id: acmeInspection.id }],
        ["acme", {}],
        ["acme", { p_inspection_id: acmeInspection.id }],
        ["bluesky", { p_kind: "photo" }],
      ];
      for (const [who, filters] of cases) {
        const list = await call(fnAttachmentsList, { ...filters, p_page: 1, p_limit: 100 }, as(who));
        expect(list.count, `${who} ${JSON.stringify(filters)}`).toBeGreaterThan(0);
        const rows = await consistent(who, "attachments", filters);
        expect(rows.map((r) => r.id), `${who} ${JSON.stringify(filters)}`).toEqual(list.data.map((a) => a.id));
        if (who === "acme" || who === "bluesky") expect(list.data.every((a) => a.customer_id === CUSTOMERS[who] && !a.internal), who).toBe(true);
      }
      // Denied as the list denies: another company's inspection is not found, another company forbidden, an unknown kind a bad request.
      await expect(all("bluesky", "attachments", { p_inspection_id: acmeInspection.id }, 10)).rejects.toEqual(appError("not_found"));
      await expect(all("chinese", "attachments", { p_inspection_id: crypto.randomUUID() }, 10)).rejects.toEqual(appError("not_found"));
      await expect(all("bluesky", "attachments", { p_customer_id: CUSTOMERS.acme }, 10)).rejects.toEqual(appError("forbidden"));
      await expect(all("chinese", "attachments", { p_kind: "virus" }, 10)).rejects.toEqual(appError("bad_request"));
    });

    it("refuses whom the lists refuse, and a batch size out of bounds", async () => {
      const first = <N extends ExportFunctionName>(user: DemoUser, name: N, filters: ExportFilters<N>) => all(user, name, filters, 10);
      await expect(first("acme", "items", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("acme", "ledger", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("acme", "flows", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("korean", "users", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("korean", "audit", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("korean", "portalStock", {})).rejects.toEqual(appError("forbidden"));
      await expect(first("acme", "attachments", { p_customer_id: CUSTOMERS.bluesky })).rejects.toEqual(appError("forbidden"));
      await expect(first("korean", "items", { p_sort: "nope" })).rejects.toEqual(appError("bad_request"));
      const huge = defineFunction("ledger_export", exportFunctions.ledger.args, exportFunctions.ledger.result);
      await expect(call(huge, { p_limit: 10001 }, as("admin"))).rejects.toEqual(appError("bad_request"));
      expect((await first("admin", "users", {})).length).toBeGreaterThan(0);
      expect((await first("acme", "attachments", {})).length).toBeGreaterThanOrEqual(0);
    });

    it("anon may execute none of them; a customer reading a cost column directly is refused", async () => {
      for (const fn of Object.values(exportFunctions)) {
        await expect(sqlAs(getDb(), "anon", `select public.${fn.name}()`)).rejects.toMatchObject({ code: "42501" });
      }
      await expect(sqlAs(getDb(), "acme", "select unit_cost from public.items")).rejects.toMatchObject({ code: "42501" });
      const rows = await sqlAs<{ r: { rows: unknown[] } }>(getDb(), "acme", "select public.portal_stock_export() as r");
      expect(rows[0].r.rows.length).toBeGreaterThan(0);
      expect(USERS.acme.role).toBe("customer");
    });
  });
}

describeExportsContract(contractDb);
