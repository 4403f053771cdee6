import { beforeAll, describe, expect, it } from "vitest";
import { GET as kindList } from "@/app/api/v1/[kind]/route";
import { GET as attachments } from "@/app/api/v1/attachments/route";
import { GET as audit } from "@/app/api/v1/audit/route";
import { GET as customers } from "@/app/api/v1/customers/route";
import { GET as flows } from "@/app/api/v1/flows/route";
import { GET as inspections } from "@/app/api/v1/inspections/route";
import { GET as items } from "@/app/api/v1/items/route";
import { GET as ledger } from "@/app/api/v1/ledger/route";
import { GET as portalShipments } from "@/app/api/v1/portal/shipments/route";
import { GET as portalStock } from "@/app/api/v1/portal/stock/route";
import { GET as stocks } from "@/app/api/v1/stocks/route";
import { GET as users } from "@/app/api/v1/users/route";
import { COLUMNS, STAFF_INSPECTION_COLUMNS, type Column } from "@/lib/export/columns";
import { resetEnvCache } from "@/lib/env";
import { seoulToday } from "@/lib/export/values";
import en from "@/messages/en/exports.json";
import ko from "@/messages/ko/exports.json";
import zh from "@/messages/zh/exports.json";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { download, readCsv, readXlsx } from "../helpers/download";
import { openTestDatabase } from "../helpers/pglite";

// The four kinds' lists are one dynamic route (app/api/v1/[kind]): called with the kind as Next.js passes it.
const listOf = (kind: string) => (req: Request) => kindList(req, { params: Promise.resolve({ kind }) });
const inbounds = listOf("inbounds");
const outbounds = listOf("outbounds");
const transfers = listOf("transfers");
const adjustments = listOf("adjustments");

// ?format=xlsx|csv on every list route: the whole list for the query as a real file, headers in
// the caller's language, typed values, the list's filters and sort; customers only their own.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
/** A column of times says its zone in its header (messages/<locale>/time.json). */
const zoneOf = (words: { columns: Record<string, string> }) => (words === zh ? "{header}（韩国时间）" : "{header} (KST)");
const labels = (cols: readonly Column[], words: { columns: Record<string, string> }) =>
  cols.map((c) => (c.type === "datetime" ? zoneOf(words).replace("{header}", words.columns[c.key]!) : words.columns[c.key]));
const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(`select count(*)::text as n from (${sql}) x`, params)).rows[0].n);

beforeAll(async () => {
  // This file exports dozens of whole lists as one user within a minute: at the default read
  // limit (an export counts 20 reads) the user would be told to wait. The limit itself is tested
  // in tests/api/rate-limit.test.ts; here it is off (0), as the Postgres project runs it.
  process.env.RATE_LIMIT_READS_PER_MINUTE = "0";
  resetEnvCache();
  ({ db } = await openTestDatabase());
  // More items than any page holds, with Korean and Chinese names and fractional quantities.
  await db.query(
    `insert into public.items (sku, name_ko, name_zh, name_en, unit, unit_cost, reorder_point)
     select 'XP-' || lpad(g::text, 3, '0'), '수출 품목 ' || g, '导出物品 ' || g, 'Export item ' || g, 'EA', g * 1000, g + 0.5
     from generate_series(1, 130) g`,
  );
  await db.query("update public.inspection_applications set internal_notes = 'SECRET-' || number");
});

type Case = { name: string; route: unknown; path: string; user: DemoUser; columns: readonly Column[]; rows: () => Promise<number> };

const CASES: Case[] = [
  { name: "items", route: items, path: "/api/v1/items", user: "korean", columns: COLUMNS.items, rows: () => count("select 1 from public.items") },
  { name: "stocks", route: stocks, path: "/api/v1/stocks", user: "korean", columns: COLUMNS.stocks, rows: () => count("select 1 from public.stocks") },
  { name: "ledger", route: ledger, path: "/api/v1/ledger", user: "korean", columns: COLUMNS.ledger, rows: () => count("select 1 from public.stock_movements") },
  {
    name: "flows",
    route: flows,
    path: "/api/v1/flows",
    user: "korean",
    columns: COLUMNS.flows,
    rows: () => count("select 1 from public.flows f left join private.all_flow_lines l on l.flow_id = f.id"),
  },
  ...(
    [
      ["inbounds", inbounds, "inbound"],
      ["outbounds", outbounds, "outbound"],
      ["transfers", transfers, "transfer"],
      ["adjustments", adjustments, "adjustment"],
    ] as const
  ).map(([name, route, kind]) => ({
    name,
    route,
    path: `/api/v1/${name}`,
    user: "korean" as DemoUser,
    columns: COLUMNS.flows,
    rows: () => count("select 1 from public.flows f left join private.all_flow_lines l on l.flow_id = f.id where f.kind = $1", [kind]),
  })),
  {
    name: "inspections",
    route: inspections,
    path: "/api/v1/inspections",
    user: "korean",
    columns: STAFF_INSPECTION_COLUMNS,
    rows: () => count("select 1 from public.inspection_applications"),
  },
  { name: "customers", route: customers, path: "/api/v1/customers", user: "korean", columns: COLUMNS.customers, rows: () => count("select 1 from public.customers") },
  { name: "users", route: users, path: "/api/v1/users", user: "admin", columns: COLUMNS.users, rows: () => count("select 1 from public.profiles") },
  { name: "audit", route: audit, path: "/api/v1/audit", user: "admin", columns: COLUMNS.audit, rows: () => count("select 1 from public.audit_log") },
  {
    name: "stock",
    route: portalStock,
    path: "/api/v1/portal/stock",
    user: "acme",
    columns: COLUMNS.portalStock,
    rows: () => count("select 1 from public.items where customer_id = $1 and active", [CUSTOMERS.acme]),
  },
  {
    name: "shipments",
    route: portalShipments,
    path: "/api/v1/portal/shipments",
    user: "acme",
    columns: COLUMNS.portalShipments,
    rows: () =>
      count(
        "select 1 from public.flows f left join private.all_flow_lines l on l.flow_id = f.id where f.kind = 'outbound' and f.customer_id = $1 and f.status <> 'draft'",
        [CUSTOMERS.acme],
      ),
  },
  {
    name: "documents",
    route: attachments,
    path: "/api/v1/attachments",
    user: "acme",
    columns: COLUMNS.documents,
    rows: () => count("select 1 from public.attachments where customer_id = $1 and not internal", [CUSTOMERS.acme]),
  },
];

describe("every list as XLSX and CSV", () => {
  for (const c of CASES) {
    it(`${c.name}: all rows, Korean headers, named for today`, async () => {
      const expected = await c.rows();
      const x = await download(c.route, `${c.path}?format=xlsx`, c.user);
      expect(x.status, JSON.stringify(x.json)).toBe(200);
      expect(x.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const file = `${c.name}-${seoulToday()}`;
      expect(x.headers.get("content-disposition")).toBe(`attachment; filename="${file}.xlsx"; filename*=UTF-8''${file}.xlsx`);
      const sheet = await readXlsx(x.bytes);
      expect(sheet.header).toEqual(labels(c.columns, ko));
      expect(sheet.rows.length).toBe(expected);

      const v = await download(c.route, `${c.path}?format=csv`, c.user);
      expect(v.status).toBe(200);
      expect(v.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(v.headers.get("content-disposition")).toContain(`filename="${file}.csv"`);
      const csv = readCsv(v.bytes);
      expect(csv.bom).toBe(true);
      expect(csv.header).toEqual(labels(c.columns, ko));
      expect(csv.rows.length).toBe(expected);
    });
  }
});

describe("the spreadsheet", () => {
  it("is typed and formatted: numbers as numbers, times as Seoul wall times, frozen header with a filter", async () => {
    const sheet = await readXlsx((await download(items, "/api/v1/items?format=xlsx&q=XP-&sort=-unit_cost", "korean")).bytes);
    const col = (key: string) => COLUMNS.items.findIndex((c) => c.key === key);
    expect(sheet.rows.length).toBe(130);
    expect(sheet.rows.map((r) => r[col("sku")])).toEqual(Array.from({ length: 130 }, (_, i) => `XP-${String(130 - i).padStart(3, "0")}`));
    const first = sheet.rows[0];
    expect(first[col("unit_cost")]).toBe(130000);
    expect(first[col("reorder_point")]).toBe(130.5);
    expect(first[col("name_ko")]).toBe("수출 품목 130");
    expect(first[col("name_zh")]).toBe("导出物品 130");
    const created = first[col("created_at")];
    expect(created).toBeInstanceOf(Date);
    const truth = (await db.query<{ seoul: string }>("select to_char(created_at at time zone 'Asia/Seoul', 'YYYY-MM-DD\"T\"HH24:MI:SS') as seoul from public.items where sku = 'XP-130'")).rows[0];
    expect((created as Date).toISOString().slice(0, 19)).toBe(truth.seoul);
    const ws = sheet.worksheet;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.getCell(2, col("unit_cost") + 1).numFmt).toContain("#,##0");
    expect(ws.getCell(2, col("reorder_point") + 1).numFmt).toBe("#,##0.###");
    expect(ws.getCell(2, col("created_at") + 1).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(ws.getColumn(col("name_ko") + 1).width).toBe(28);
  });

  it("applies the list's filters and sort to CSV too, with Seoul times as text", async () => {
    const csv = readCsv((await download(items, "/api/v1/items?format=csv&q=XP-1&sort=sku", "korean")).bytes);
    const skus = csv.rows.map((r) => r[0]);
    // q=XP-1 matches XP-100 … XP-130 (31 items), in SKU order.
    expect(skus).toEqual(Array.from({ length: 31 }, (_, i) => `XP-${100 + i}`));
    const createdAt = csv.rows[0][COLUMNS.items.findIndex((c) => c.key === "created_at")];
    expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it("a flow file has one row per line with the flow's columns repeated", async () => {
    const f = (await db.query<{ number: string; n: string }>(
      "select f.number, count(*)::text as n from public.flows f join private.all_flow_lines l on l.flow_id = f.id where f.kind = 'inbound' group by f.number having count(*) > 1 limit 1",
    )).rows[0];
    expect(f).toBeDefined();
    const sheet = await readXlsx((await download(inbounds, `/api/v1/inbounds?format=xlsx&q=${f.number}`, "korean")).bytes);
    const num = COLUMNS.flows.findIndex((c) => c.key === "number");
    const line = COLUMNS.flows.findIndex((c) => c.key === "line_no");
    const qty = COLUMNS.flows.findIndex((c) => c.key === "qty");
    expect(sheet.rows.length).toBe(Number(f.n));
    expect(sheet.rows.every((r) => r[num] === f.number)).toBe(true);
    expect(sheet.rows.map((r) => r[line])).toEqual(Array.from({ length: Number(f.n) }, (_, i) => i + 1));
    expect(sheet.rows.every((r) => typeof r[qty] === "number")).toBe(true);
  });

  it("statuses and kinds are words in the user's language, never codes", async () => {
    const koFlows = (await import("@/messages/ko/flows.json")).default;
    const zhFlows = (await import("@/messages/zh/flows.json")).default;
    const status = COLUMNS.flows.findIndex((c) => c.key === "status");
    const kind = COLUMNS.flows.findIndex((c) => c.key === "kind");
    const sheet = await readXlsx((await download(flows, "/api/v1/flows?format=xlsx&status=draft", "korean")).bytes);
    expect(sheet.rows.length).toBeGreaterThan(0);
    expect(sheet.rows.every((r) => r[status] === koFlows.statuses.draft)).toBe(true);
    expect(sheet.rows.every((r) => Object.values(koFlows.kinds).includes(r[kind] as string))).toBe(true);
    const csv = readCsv((await download(flows, "/api/v1/flows?format=csv&status=committed", "chinese")).bytes);
    expect(csv.rows.every((r) => r[status] === zhFlows.statuses.committed)).toBe(true);
    const text = JSON.stringify(csv.rows.map((r) => [r[status], r[kind]]));
    expect(text).not.toMatch(/committed|inbound|outbound|transfer|adjustment/);
    const roles = (await import("@/messages/ko/common.json")).default.roles as Record<string, string>;
    const users_ = readCsv((await download(users, "/api/v1/users?format=csv", "admin")).bytes);
    const role = COLUMNS.users.findIndex((c) => c.key === "role");
    expect(users_.rows.every((r) => Object.values(roles).includes(r[role]))).toBe(true);
  });

  it("the stock file follows the stock page's search, as XLSX and CSV; a search over 100 characters is a 400", async () => {
    const [probe] = (
      await db.query<{ sku: string; n: string }>(
        "select i.sku, (select count(*) from public.stocks s2 where s2.item_id = i.id)::text as n from public.stocks s join public.items i on i.id = s.item_id order by i.sku limit 1",
      )
    ).rows;
    const all = readCsv((await download(stocks, "/api/v1/stocks?format=csv", "korean")).bytes);
    const sku = COLUMNS.stocks.findIndex((c) => c.key === "sku");
    const csv = readCsv((await download(stocks, `/api/v1/stocks?format=csv&q=${encodeURIComponent(probe.sku)}`, "korean")).bytes);
    expect(csv.rows.length).toBe(Number(probe.n));
    expect(csv.rows.every((r) => r[sku] === probe.sku)).toBe(true);
    expect(csv.rows.length).toBeLessThan(all.rows.length);
    const sheet = await readXlsx((await download(stocks, `/api/v1/stocks?format=xlsx&q=${encodeURIComponent(probe.sku)}`, "korean")).bytes);
    expect(sheet.rows.map((r) => r[sku])).toEqual(csv.rows.map((r) => r[sku]));
    const long = await download(stocks, `/api/v1/stocks?format=csv&q=${"가".repeat(101)}`, "korean");
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ error: { code: "bad_request" } });
  });

  it("headers follow the user's language (Chinese and English)", async () => {
    const zhSheet = await readXlsx((await download(items, "/api/v1/items?format=xlsx&q=XP-001", "chinese")).bytes);
    expect(zhSheet.header).toEqual(labels(COLUMNS.items, zh));
    expect(zhSheet.header).toContain("单价（韩元）");
    expect(zhSheet.header).toContain(`${zh.columns.created_at}（韩国时间）`);
    await db.query("update public.profiles set locale = 'en' where id = $1", [USERS.manager.id]);
    const enCsv = readCsv((await download(stocks, "/api/v1/stocks?format=csv", "manager")).bytes);
    expect(enCsv.header).toEqual(labels(COLUMNS.stocks, en));
    const koSheet = await readXlsx((await download(items, "/api/v1/items?format=xlsx&q=XP-001", "korean")).bytes);
    expect(koSheet.header).toContain("단가 (원)");
    expect(koSheet.header).toContain("생성일시 (KST)");
  });
});

describe("customers export only their own", () => {
  const leaks = /blue ?sky|BSKY|SECRET-|unit_cost|@duly\.test/i;

  it("ACME's files hold none of Blue Sky's rows and no cost, internal note or staff email", async () => {
    for (const [route, path] of [
      [portalStock, "/api/v1/portal/stock"],
      [portalShipments, "/api/v1/portal/shipments"],
      [inspections, "/api/v1/inspections"],
      [attachments, "/api/v1/attachments"],
    ] as const) {
      for (const format of ["xlsx", "csv"] as const) {
        const res = await download(route, `${path}?format=${format}`, "acme");
        expect(res.status, path).toBe(200);
        const { header, rows } = format === "xlsx" ? await readXlsx(res.bytes) : readCsv(res.bytes);
        const text = JSON.stringify([header, rows]);
        expect(text, `${path} ${format}`).not.toMatch(leaks);
        expect(header).not.toContain(ko.columns.unit_cost);
        expect(header).not.toContain(ko.columns.internal_notes);
        expect(header).not.toContain(ko.columns.email);
      }
    }
    const mine = readCsv((await download(inspections, "/api/v1/inspections?format=csv", "acme")).bytes);
    expect(mine.rows.length).toBe(await count("select 1 from public.inspection_applications where customer_id = $1", [CUSTOMERS.acme]));
    // Staff see the notes in the same export: the column is the rule, not an accident.
    const staff = readCsv((await download(inspections, "/api/v1/inspections?format=csv", "korean")).bytes);
    expect(staff.header).toContain(ko.columns.internal_notes);
    expect(JSON.stringify(staff.rows)).toMatch(/SECRET-/);
    expect(JSON.stringify(staff.rows)).toMatch(/Blue Sky/);
  });

  it("Blue Sky's stock file holds only Blue Sky's goods", async () => {
    const csv = readCsv((await download(portalStock, "/api/v1/portal/stock?format=csv", "bluesky")).bytes);
    expect(csv.rows.length).toBeGreaterThan(0);
    expect(csv.rows.every((r) => r[0].includes("BSKY"))).toBe(true);
  });
});

describe("refusals are JSON errors", () => {
  it("customers get 403 on staff lists, staff on portal lists, non-admins on users and audit", async () => {
    for (const [route, path, user] of [
      [items, "/api/v1/items", "acme"],
      [ledger, "/api/v1/ledger", "acme"],
      [flows, "/api/v1/flows", "bluesky"],
      [stocks, "/api/v1/stocks", "acme"],
      [customers, "/api/v1/customers", "acme"],
      [users, "/api/v1/users", "korean"],
      [audit, "/api/v1/audit", "manager"],
      [portalStock, "/api/v1/portal/stock", "korean"],
    ] as const) {
      const res = await download(route, `${path}?format=xlsx`, user);
      expect(res.status, `${user} ${path}`).toBe(403);
      expect(res.json).toMatchObject({ error: { code: "forbidden" } });
    }
    const other = await download(attachments, `/api/v1/attachments?format=csv&customer_id=${CUSTOMERS.bluesky}`, "acme");
    expect(other.status).toBe(403);
  });

  it("a file export of an inspection the caller cannot read is 404, as its list is; of its own, a file", async () => {
    const {
      rows: [acmeInspection],
    } = await db.query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 limit 1", [CUSTOMERS.acme]);
    const theirs = await download(attachments, `/api/v1/attachments?format=csv&inspection_id=${acmeInspection.id}`, "bluesky");
    expect(theirs.status).toBe(404);
    expect(theirs.json).toMatchObject({ error: { code: "not_found" } });
    const own = await download(attachments, `/api/v1/attachments?format=csv&inspection_id=${acmeInspection.id}`, "acme");
    expect(own.status).toBe(200);
  });

  it("anonymous: 401; a bad format or filter: 400", async () => {
    const anon = await download(items, "/api/v1/items?format=xlsx");
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ error: { code: "unauthorized" } });
    const bad = await download(items, "/api/v1/items?format=pdf", "korean");
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "bad_request" } });
    const badSort = await download(items, "/api/v1/items?format=csv&sort=price", "korean");
    expect(badSort.status).toBe(400);
    // Without ?format the list answers JSON as before.
    const list = await download(items, "/api/v1/items", "korean");
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ page: 1, limit: 10 });
  });
});
