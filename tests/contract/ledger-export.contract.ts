import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { GET as ledger } from "@/app/api/v1/ledger/route";
import { ledgerCopyQuery } from "@/lib/data/exports";
import { COLUMNS, type Column } from "@/lib/export/columns";
import { csvSafeText } from "@/lib/export/values";
import koFlows from "@/messages/ko/flows.json";
import ko from "@/messages/ko/exports.json";
import koTime from "@/messages/ko/time.json";
import { download, readCsv, readXlsx } from "../helpers/download";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";
import { sqlAs, withRole } from "../helpers/sql-as";

// GET /api/v1/ledger?format=csv|xlsx, on PGlite (tests/api/ledger-export.test.ts: the database
// writes the file text in batches, ledger_export_text) and on real Postgres
// (tests/pg/ledger-export.test.ts: CSV straight from COPY as the caller, XLSX in batches): the
// same rows, values and order either way, read back from the files.

// A column of times names its zone in its header ("생성일시 (KST)"), from messages/ko/time.json.
const labels = (cols: readonly Column[]) =>
  cols.map((c) => {
    const word = (ko.columns as Record<string, string>)[c.key];
    return c.type === "datetime" ? koTime.column.replace("{header}", word) : word;
  });
const NAME = '패널, "특가" <A&B> \\ 1\t2';
// Every character Postgres text can hold below DEL (not NUL), and a few beyond, leading a text.
const LEADS = [...Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)), "\u00a0", "\uff1d", "\u2212", "한"];

function describeLedgerExport(makeDb: MakeDb) {
  describe("the ledger as a file", () => {
    const getDb = databaseForSuite(makeDb);

    async function truth(itemId?: string) {
      const rows = await getDb().query<{ id: number; seoul: string; number: string; kind: string; sku: string; name_ko: string; code: string; delta: string; balance: string }>(
        `select m.id::int as id, to_char(m.created_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI:SS') as seoul, f.number, f.kind, i.sku, i.name_ko,
                l.code, trim_scale(m.delta)::text as delta, trim_scale(m.balance_after)::text as balance
         from public.stock_movements m join public.flows f on f.id = m.flow_id join public.items i on i.id = m.item_id
         join public.locations l on l.id = m.location_id where ($1::uuid is null or m.item_id = $1::uuid) order by m.id desc`,
        [itemId ?? null],
      );
      return rows.map((t) => [String(t.id), t.seoul, t.number, (koFlows.kinds as Record<string, string>)[t.kind], t.sku, t.name_ko, t.code, t.delta, t.balance]);
    }

    it("CSV and XLSX hold every movement in order: Seoul times, kinds in Korean, quoted and escaped text, typed cells", async () => {
      const [moved] = await getDb().query<{ item_id: string }>("select item_id from public.stock_movements order by id desc limit 1");
      await getDb().query("update public.items set name_ko = $2 where id = $1", [moved.item_id, NAME]);
      const expected = await truth();
      expect(expected.length).toBeGreaterThan(10);

      const file = await download(ledger, "/api/v1/ledger?format=csv", "korean");
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const csv = readCsv(file.bytes);
      expect(csv.bom).toBe(true);
      expect(csv.header).toEqual(labels(COLUMNS.ledger));
      expect(csv.rows).toEqual(expected);
      expect(csv.rows.some((r) => r[5] === NAME)).toBe(true);

      const sheet = await readXlsx((await download(ledger, "/api/v1/ledger?format=xlsx", "korean")).bytes);
      expect(sheet.header).toEqual(labels(COLUMNS.ledger));
      expect(
        sheet.rows.map((r) => [String(r[0]), (r[1] as Date).toISOString().slice(0, 19).replace("T", " "), r[2], r[3], r[4], r[5], r[6], String(r[7]), String(r[8])]),
      ).toEqual(expected);
      expect(typeof sheet.rows[0][0]).toBe("number");
      expect(typeof sheet.rows[0][7]).toBe("number");
      const ws = sheet.worksheet;
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.getCell(2, 2).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
      expect(ws.getCell(2, 8).numFmt).toBe("#,##0");
      expect(ws.getColumn(6).width).toBe(28);

      // The list's filters apply: one item's movements only.
      const one = readCsv((await download(ledger, `/api/v1/ledger?format=csv&item_id=${moved.item_id}`, "korean")).bytes);
      expect(one.rows).toEqual(await truth(moved.item_id));
      expect(one.rows.every((r) => r[5] === NAME)).toBe(true);
    });

    it("a text Excel would run as a formula is written with a leading apostrophe in CSV, and as it is in XLSX", async () => {
      // An item that has moved out: its CSV holds negative quantities too.
      const [moved] = await getDb().query<{ item_id: string }>("select item_id from public.stock_movements where delta < 0 order by id desc limit 1");
      const formula = '=HYPERLINK("http://evil.test","열기")';
      await getDb().query("update public.items set name_ko = $2 where id = $1", [moved.item_id, formula]);
      try {
        const csv = readCsv((await download(ledger, `/api/v1/ledger?format=csv&item_id=${moved.item_id}`, "korean")).bytes);
        expect(csv.rows.length).toBeGreaterThan(0);
        expect(csv.rows.every((r) => r[5] === `'${formula}`)).toBe(true);
        // Negative quantities are numbers, not text: their minus stays.
        expect(csv.rows.every((r) => !r[7].startsWith("'"))).toBe(true);
        expect(csv.rows.some((r) => r[7].startsWith("-"))).toBe(true);
        const sheet = await readXlsx((await download(ledger, `/api/v1/ledger?format=xlsx&item_id=${moved.item_id}`, "korean")).bytes);
        expect(sheet.rows.every((r) => r[5] === formula)).toBe(true);
      } finally {
        await getDb().query("update public.items set name_ko = $2 where id = $1", [moved.item_id, NAME]);
      }
    });

    it("one formula rule in Node and SQL: private.csv_safe and csv_text give every leading character the answer csvSafeText gives", async () => {
      const texts = [...LEADS.map((c) => `${c}SUM(A1:A9)`), "", "-12.5", "검품 보고서 = 통과"];
      // As the staff caller COPY runs as (ledger_export_text calls csv_text as its owner).
      const rows = await sqlAs<{ safe: string; field: string }>(
        getDb(),
        "korean",
        "select private.csv_safe(t) as safe, private.csv_text(t) as field from unnest($1::text[]) with ordinality u(t, n) order by n",
        [texts],
      );
      const expected = texts.map(csvSafeText);
      expect(rows.map((r) => r.safe)).toEqual(expected);
      // csv_text is the same text as a CSV field (quoted only when it must be).
      expect(rows.map((r) => (parse(r.field) as string[][])[0]?.[0] ?? "")).toEqual(expected);
      // Exactly the six formula starts get the apostrophe; text (even a negative number's) is text.
      expect(texts.filter((t, i) => expected[i] !== t).map((t) => t.charAt(0))).toEqual(["\t", "\r", "+", "-", "=", "@", "-"]);
      expect(rows[texts.indexOf("검품 보고서 = 통과")].safe).toBe("검품 보고서 = 통과");
      const [nulls] = await sqlAs<{ safe: string | null; field: string }>(getDb(), "korean", "select private.csv_safe(null) as safe, private.csv_text(null) as field");
      expect(nulls).toEqual({ safe: null, field: "" });
    });

    it("csv_safe is executable by the roles csv_text is (staff through COPY, the service), not by anonymous callers", async () => {
      const grants = await getDb().query<{ fn: string; roles: string[] }>(
        `select f as fn, array(select r from unnest(array['anon', 'authenticated', 'public', 'service_role']) r
                               where has_function_privilege(r, f::regprocedure, 'EXECUTE') order by 1) as roles
         from unnest(array['private.csv_safe(text)', 'private.csv_text(text)']) f order by 1`,
      );
      expect(grants).toEqual([
        { fn: "private.csv_safe(text)", roles: ["authenticated", "service_role"] },
        { fn: "private.csv_text(text)", roles: ["authenticated", "service_role"] },
      ]);
      expect(await sqlAs(getDb(), "korean", "select private.csv_safe('=1') as v")).toEqual([{ v: "'=1" }]);
      await expect(sqlAs(getDb(), "anon", "select private.csv_safe('=1') as v")).rejects.toMatchObject({ code: "42501" });
    });

    it("the planner inlines the guard: no function call per value in the COPY query or in csv_text, the CASE in their output", async () => {
      const plans = await withRole(getDb(), "korean", async (q) => {
        const plan = async (sql: string) => (await q<{ "QUERY PLAN": string }>(`explain (verbose, costs off) ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
        return [await plan(ledgerCopyQuery({}, koFlows.kinds, true)), await plan("select i.id, private.csv_text(i.name_ko) from public.items i")];
      });
      for (const plan of plans) {
        expect(plan).not.toMatch(/csv_(safe|text)\(/);
        expect(plan).toContain("''''::text ||");
      }
    });


    it("customers and anonymous callers get JSON refusals, never a file", async () => {
      const customer = await download(ledger, "/api/v1/ledger?format=csv", "acme");
      expect(customer.status).toBe(403);
      expect(customer.json).toMatchObject({ error: { code: "forbidden" } });
      expect((await download(ledger, "/api/v1/ledger?format=csv")).status).toBe(401);
    });
  });
}

describeLedgerExport(contractDb);
