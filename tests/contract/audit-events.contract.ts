import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { USERS } from "../helpers/demo";
import { become, becomeSuperuser } from "../helpers/sql-as";
import type { Query } from "../helpers/test-db";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";
import { contractDb } from "../helpers/contract-db";

// What the audit log records and how it names it (migration 2026120603010_readable_audit): each
// workflow step is its own event, each row names its record the way people do, the records its
// fields point at come with their names, and reading a message is not an event at all.

type Listed = {
  id: number;
  event: string;
  table_name: string;
  subject: { type: string; id?: string; label?: string; detail?: string; kind?: string };
  refs: Record<string, string>;
};

const ROOT = path.resolve(__dirname, "../..");

function describeAuditEventsContract(makeDb: MakeDb) {
  describe("audit events", () => {
    const getDb = databaseForSuite(makeDb);

    const list = async (q: Query, args = "p_limit => 100") => {
      await become(q, "admin");
      const [r] = await q<{ page: { data: Listed[]; count: number; count_exact: boolean } }>(`select public.audit_list(${args}) as page`);
      await becomeSuperuser(q);
      return r!.page;
    };
    const call = async <T>(q: Query, who: Parameters<typeof become>[1], sql: string, params?: unknown[]) => {
      await become(q, who);
      const [r] = await q<{ v: T }>(`select ${sql} as v`, params);
      await becomeSuperuser(q);
      return r!.v;
    };

    it("names each workflow step of a flow, with its number, kind and the people and places it points at", async () => {
      await getDb().rolledBack(async (q) => {
        const [{ id: item } = { id: "" }] = await q<{ id: string }>("select id from public.items where sku = 'LCD-24-FHD'");
        const [{ id: seoul } = { id: "" }] = await q<{ id: string }>("select id from public.locations where code = 'KR-SEL'");
        const flow = await call<{ id: string; number: string }>(q, "korean",
          "public.flow_create('inbound', $1::jsonb, null, $2::uuid, null, 'Audit Factory')", [JSON.stringify([{ item_id: item, qty: 3 }]), seoul]);
        await call(q, "korean", "public.flow_submit($1::uuid)", [flow.id]);
        await call(q, "manager", "public.flow_approve($1::uuid)", [flow.id]);
        await call(q, "manager", "public.flow_commit($1::uuid)", [flow.id]);
        const rows = (await list(q)).data.filter((r) => r.subject.id === flow.id);
        expect(rows.map((r) => r.event)).toEqual(["committed", "approved", "submitted", "line_added", "created"]);
        for (const r of rows) expect(r.subject).toMatchObject({ type: "flow", label: flow.number, kind: "inbound" });
        expect(rows.find((r) => r.event === "line_added")!.subject.detail).toBe("LCD-24-FHD");
        const committed = rows[0]!;
        expect(committed.refs).toMatchObject({ [USERS.manager.id]: "Park Manager", [USERS.korean.id]: "Choi Korean Team", [seoul]: "서울 물류센터 (Seoul)" });
        const approvedOnly = (await list(q, "p_action => 'approved', p_limit => 100")).data;
        expect(approvedOnly.some((r) => r.subject.id === flow.id)).toBe(true);
        expect(approvedOnly.every((r) => r.event === "approved")).toBe(true);
      });
    });

    it("calls a role change, a deactivation and a reactivation by their names, about the user's email", async () => {
      await getDb().rolledBack(async (q) => {
        await call(q, "admin", "public.user_update($1::uuid, 'manager')", [USERS.chinese.id]);
        await call(q, "admin", "public.user_update($1::uuid, null, null, false)", [USERS.chinese.id]);
        await call(q, "admin", "public.user_update($1::uuid, null, null, true)", [USERS.chinese.id]);
        const rows = (await list(q)).data.filter((r) => r.table_name === "profiles" && r.subject.id === USERS.chinese.id);
        expect(rows.slice(0, 3).map((r) => r.event)).toEqual(["reactivated", "deactivated", "role_changed"]);
        expect(rows[0]!.subject).toMatchObject({ type: "user", label: USERS.chinese.email });
      });
    });

    it("records a message sent, never the reading of it; read marks written before are kept out of the list", async () => {
      await getDb().rolledBack(async (q) => {
        const [{ id: inspection, number } = { id: "", number: "" }] = await q<{ id: string; number: string }>(
          "select id, number from public.inspection_applications where customer_id = $1 order by number limit 1",
          ["c0000000-0000-4000-8000-000000000001"],
        );
        const [{ n: before } = { n: 0 }] = await q<{ n: number }>("select count(*)::int as n from public.audit_log");
        const sent = await call<{ id: string }>(q, "acme", "public.message_send($1::uuid, 'Audit me')", [inspection]);
        await call(q, "korean", "public.messages_mark_read($1::uuid)", [inspection]);
        const [{ n: after } = { n: 0 }] = await q<{ n: number }>("select count(*)::int as n from public.audit_log");
        expect(after - before).toBe(1);
        const [{ read } = { read: null }] = await q<{ read: string | null }>("select read_by_staff_at as read from public.messages where id = $1", [sent.id]);
        expect(read).not.toBeNull();
        const rows = (await list(q)).data.filter((r) => r.table_name === "messages");
        expect(rows[0]).toMatchObject({ event: "message_sent", subject: { type: "inspection", id: inspection, label: number } });

        // A read mark as the trigger used to record it: in the table, not in the list or the count.
        const old = await q<{ id: number }>(
          `insert into public.audit_log (actor_id, action, table_name, row_id, before, after)
           select $1, 'update', 'messages', m.id::text, to_jsonb(m) - 'read_by_staff_at', to_jsonb(m) from public.messages m where m.id = $2
           returning id`,
          [USERS.korean.id, sent.id],
        );
        const page = await list(q, "p_limit => 100");
        expect(page.data.map((r) => r.id)).not.toContain(old[0]!.id);
        const [{ n: total } = { n: 0 }] = await q<{ n: number }>("select count(*)::int as n from public.audit_log");
        expect(page.count).toBe(total - 1);
        await become(q, "admin");
        const [exported] = await q<{ b: { rows: { id: number }[] } }>("select public.audit_export(p_limit => 5000)::jsonb as b");
        expect(exported!.b.rows.map((r) => r.id)).not.toContain(old[0]!.id);
      });
    });

    it("names items by SKU, inspections by number, uploaded files by their inspection and file name", async () => {
      await getDb().rolledBack(async (q) => {
        const rows = (await list(q, "p_limit => 100")).data;
        const seeded = (await list(q, "p_table => 'items', p_limit => 100")).data;
        expect(seeded.every((r) => r.event === "created" && r.subject.type === "item" && /^[A-Z]/.test(r.subject.label ?? ""))).toBe(true);
        const inspections = (await list(q, "p_table => 'inspection_applications', p_limit => 100")).data;
        expect(new Set(inspections.map((r) => r.event))).toEqual(new Set(["applied", "scheduled", "started", "report_ready", "completed", "cancelled", "updated"]));
        expect(inspections.every((r) => r.subject.type === "inspection" && (r.subject.label ?? "") !== "")).toBe(true);
        const files = (await list(q, "p_table => 'attachments', p_limit => 100")).data;
        for (const f of files) expect(f).toMatchObject({ event: "file_uploaded", subject: { type: "inspection" } });
        expect(rows.length).toBe(100);
      });
    });

    it("more than 1,000 entries: the newest first page by page, an estimate of at least 1,001 with count_exact false; a narrow filter counts exactly", async () => {
      await getDb().rolledBack(async (q) => {
        await q(
          `insert into public.audit_log (table_name, row_id, action, actor_id, before, after, created_at)
           select 'items', g::text, 'update', $1::uuid, jsonb_build_object('name_ko', 'a' || g), jsonb_build_object('name_ko', 'b' || g),
                  now() - make_interval(secs => g)
           from generate_series(1, 1200) g`,
          [USERS.korean.id],
        );
        const newest = (await q<{ id: string }>(
          `select id::text from public.audit_log l where private.audit_listed(l.table_name, l.action, l.before, l.after)
           order by created_at desc, id desc limit 20 offset 40`,
        )).map((r) => Number(r.id));
        const third = await list(q, "p_page => 3, p_limit => 20");
        expect(third.count_exact).toBe(false);
        expect(third.count).toBeGreaterThanOrEqual(1001);
        expect(third.data.map((r) => Number(r.id))).toEqual(newest);
        const customers = await list(q, "p_table => 'customers', p_limit => 20");
        const [{ n }] = await q<{ n: number }>("select count(*)::int as n from public.audit_log where table_name = 'customers'");
        expect(customers.count_exact).toBe(true);
        expect(customers.count).toBe(n);
        const edits = await list(q, `p_actor_id => '${USERS.korean.id}', p_table => 'items', p_action => 'update', p_limit => 20`);
        expect(edits.count_exact).toBe(false);
        expect(edits.data).toHaveLength(20);
        expect(edits.data.every((r) => r.table_name === "items")).toBe(true);
      });
    });

    it("reads its filters inline: the event helpers have no setting of their own, and a query over the log calls none of them", async () => {
      const helpers = await getDb().query<{ name: string; language: string; config: string[] | null; definer: boolean }>(
        `select p.proname as name, l.lanname as language, p.proconfig as config, p.prosecdef as definer
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
         where n.nspname = 'private' and p.proname in ('audit_event', 'audit_listed', 'audit_action_matches') order by 1`,
      );
      expect(helpers).toEqual(["audit_action_matches", "audit_event", "audit_listed"].map((name) => ({ name, language: "sql", config: null, definer: false })));
      const plan = (await getDb().query<{ "QUERY PLAN": string }>(
        `explain (verbose, costs off) select count(*) from public.audit_log l
         where private.audit_action_matches('approved', l.table_name, l.action, l.before, l.after)
           and private.audit_listed(l.table_name, l.action, l.before, l.after)`,
      )).map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).not.toMatch(/audit_(listed|action_matches|event)/);
      expect(plan).toMatch(/messages/);
    });

    it("refuses an action filter that is not a word (422), and stays admin-only", async () => {
      await getDb().rolledBack(async (q) => {
        await become(q, "admin");
        await expect(q("select public.audit_list(p_action => 'drop table')")).rejects.toMatchObject({ message: "validation_failed" });
      });
      await getDb().rolledBack(async (q) => {
        await become(q, "manager");
        await expect(q("select public.audit_list()")).rejects.toMatchObject({ message: "forbidden" });
      });
    });

    it("has a name in every language for every column of every audited table (or hides it)", async () => {
      const columns = await getDb().query<{ column_name: string }>(
        `select distinct a.attname as column_name
         from pg_catalog.pg_trigger t
         join pg_catalog.pg_proc f on f.oid = t.tgfoid and f.proname in ('audit_row', 'audit_rows')
         join pg_catalog.pg_attribute a on a.attrelid = t.tgrelid and a.attnum > 0 and not a.attisdropped`,
      );
      const hidden = ["id", "created_at", "updated_at", "storage_path", "sha256", "checked_at_audit", "headers", "mapping", "header_row"];
      for (const locale of ["ko", "zh", "en"]) {
        const fields = JSON.parse(readFileSync(path.join(ROOT, `messages/${locale}/audit.json`), "utf8")).fields as Record<string, string>;
        const missing = columns.map((c) => c.column_name).filter((c) => !hidden.includes(c) && !fields[c]);
        expect({ locale, missing }).toEqual({ locale, missing: [] });
      }
    });
  });
}

describeAuditEventsContract(contractDb);
