import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { USERS } from "../helpers/demo";
import { become, becomeSuperuser } from "../helpers/sql-as";
import type { Query } from "../helpers/test-db";
import { databaseForSuite } from "../helpers/test-db";

// flow_lines and items are audited per statement (private.audit_rows, migration
// 20261213010100_statement_audit): one audit row per changed row, the same rows the row-level
// private.audit_row writes, in the order the statement changed them, with the import's id.

type Audited = {
  actor_id: string | null;
  action: string;
  table_name: string;
  row_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  security_event: boolean;
  import_id: string | null;
};

const AUDITED = `select actor_id::text, action, table_name, row_id, before, after, security_event, import_id::text
                 from public.audit_log where id > $1 order by id`;

describe("statement-level audit", () => {
  const getDb = databaseForSuite(contractDb);

  const lastAuditId = async (q: Query) =>
    (await q<{ id: string }>("select coalesce(max(id), 0)::text as id from public.audit_log"))[0]!.id;
  const row = async (q: Query, table: "flow_lines" | "items", id: string) =>
    (await q<{ j: Record<string, unknown> }>(`select to_jsonb(t) as j from public.${table} t where id = $1`, [id]))[0]!.j;

  /** A draft flow of korean's with one line, and three more active items for the test's own lines. */
  const fixture = async (q: Query) => {
    const items = (await q<{ id: string }>("select id from public.items where active order by sku limit 4")).map((r) => r.id);
    const [{ id: sel } = { id: "" }] = await q<{ id: string }>("select id from public.locations where code = 'KR-SEL'");
    await become(q, "korean");
    const [{ id: flow } = { id: "" }] = await q<{ id: string }>(
      "select (public.flow_create('inbound', $1::jsonb, null, $2::uuid) ->> 'id') as id", [JSON.stringify([{ item_id: items[0], qty: 1 }]), sel]);
    await becomeSuperuser(q);
    // updated_at = now(), so that a later update in this transaction may change nothing at all.
    await q("update public.items set updated_at = now() where id = any($1::uuid[])", [items]);
    return { flow, items: items.slice(1) };
  };

  /** Inserts three lines, updates all three (one to what it was), deletes two, as `actor` by duly.actor. */
  const writeLines = async (q: Query, flow: string, items: string[], lineIds: string[]) => {
    await q(
      `insert into public.flow_lines (id, flow_id, line_no, item_id, qty)
       select l.id, $1::uuid, 10 + l.n::int, l.item_id, l.n
       from unnest($2::uuid[], $3::uuid[]) with ordinality as l(id, item_id, n)`,
      [flow, lineIds, items]);
    await q("update public.flow_lines set qty = case when line_no = 12 then qty else qty + 5 end where flow_id = $1 and line_no >= 10", [flow]);
    await q("delete from public.flow_lines where flow_id = $1 and line_no in (11, 13)", [flow]);
  };

  it("a multi-row insert, update (one row unchanged) and delete audit one row per changed row, with before, after and actor", async () => {
    await getDb().rolledBack(async (q) => {
      const { flow, items } = await fixture(q);
      const lineIds = [randomUUID(), randomUUID(), randomUUID()];
      const from = await lastAuditId(q);
      await q("select set_config('duly.actor', $1, true)", [USERS.manager.id]);

      await q(
        `insert into public.flow_lines (id, flow_id, line_no, item_id, qty)
         select l.id, $1::uuid, 10 + l.n::int, l.item_id, l.n
         from unnest($2::uuid[], $3::uuid[]) with ordinality as l(id, item_id, n)`,
        [flow, lineIds, items]);
      const inserted = await Promise.all(lineIds.map((id) => row(q, "flow_lines", id)));
      let audited = await q<Audited>(AUDITED, [from]);
      expect(audited).toEqual(lineIds.map((id, i) => ({
        actor_id: USERS.manager.id, action: "insert", table_name: "flow_lines", row_id: id,
        before: null, after: inserted[i], security_event: false, import_id: null,
      })));

      const mid = await lastAuditId(q);
      await q("update public.flow_lines set qty = case when line_no = 12 then qty else qty + 5 end where flow_id = $1 and line_no >= 10", [flow]);
      const updated = await Promise.all(lineIds.map((id) => row(q, "flow_lines", id)));
      audited = await q<Audited>(AUDITED, [mid]);
      expect(audited.map((a) => a.row_id)).toEqual([lineIds[0], lineIds[2]]); // line 12 unchanged: no row
      for (const [a, i] of [[audited[0]!, 0], [audited[1]!, 2]] as const) {
        expect(a).toEqual({
          actor_id: USERS.manager.id, action: "update", table_name: "flow_lines", row_id: lineIds[i],
          before: inserted[i], after: updated[i], security_event: false, import_id: null,
        });
        expect(Number(a.after!.qty) - Number(a.before!.qty)).toBe(5);
      }

      const beforeDelete = await lastAuditId(q);
      await q("delete from public.flow_lines where flow_id = $1 and line_no in (11, 13)", [flow]);
      audited = await q<Audited>(AUDITED, [beforeDelete]);
      expect(audited).toEqual([0, 2].map((i) => ({
        actor_id: USERS.manager.id, action: "delete", table_name: "flow_lines", row_id: lineIds[i],
        before: updated[i], after: null, security_event: false, import_id: null,
      })));

      // A statement that changes no row writes nothing.
      const quiet = await lastAuditId(q);
      await q("update public.items set name_en = name_en where id = any($1::uuid[])", [items]);
      await q("delete from public.flow_lines where flow_id = $1 and line_no = 99", [flow]);
      expect(await q(AUDITED, [quiet])).toEqual([]);
    });
  });

  it("writes exactly the rows the row-level audit_row writes for the same statements", async () => {
    await getDb().rolledBack(async (q) => {
      const { flow, items } = await fixture(q);
      const lineIds = [randomUUID(), randomUUID(), randomUUID()];
      await q("select set_config('duly.actor', $1, true)", [USERS.chinese.id]);
      const run = async () => {
        const from = await lastAuditId(q);
        await writeLines(q, flow, items, lineIds);
        await q("update public.items set reorder_point = reorder_point + case when id = $1 then 0 else 1 end where id = any($2::uuid[])", [items[1], items]);
        return q<Audited>(AUDITED, [from]);
      };

      await q("savepoint statement_level");
      const byStatement = await run();
      await q("rollback to savepoint statement_level");
      for (const table of ["flow_lines", "items"]) {
        for (const op of ["insert", "update", "delete"]) await q(`drop trigger ${table}_audit_${op} on public.${table}`);
        await q(`create trigger ${table}_audit after insert or update or delete on public.${table} for each row execute function private.audit_row()`);
      }
      const byRow = await run();

      expect(byStatement.map((a) => `${a.table_name} ${a.action}`)).toEqual([
        "flow_lines insert", "flow_lines insert", "flow_lines insert",
        "flow_lines update", "flow_lines update",
        "flow_lines delete", "flow_lines delete",
        "items update", "items update",
      ]);
      expect(byStatement).toEqual(byRow);
    });
  });

  it("rows written while an import applies carry its id, whichever function writes them; none after", async () => {
    await getDb().rolledBack(async (q) => {
      const { flow, items } = await fixture(q);
      const importId = randomUUID();
      const from = await lastAuditId(q);
      await q("select set_config('duly.actor', $1, true), set_config('duly.import_id', $2, true)", [USERS.korean.id, importId]);
      await writeLines(q, flow, items, [randomUUID(), randomUUID(), randomUUID()]);
      await q("update public.items set reorder_point = reorder_point + 1 where id = any($1::uuid[])", [items]);
      await q("update public.locations set name = name || ' ' where code = 'KR-SEL'"); // audit_row
      await q("insert into public.audit_log (action, table_name) values ('sign_in_failed', 'auth')"); // another writer
      const linked = await q<{ table_name: string; action: string; import_id: string | null; actor_id: string | null }>(
        "select table_name, action, import_id::text, actor_id::text from public.audit_log where id > $1 order by id", [from]);
      expect(linked.map((a) => `${a.table_name} ${a.action}`)).toEqual([
        "flow_lines insert", "flow_lines insert", "flow_lines insert", "flow_lines update", "flow_lines update",
        "flow_lines delete", "flow_lines delete", "items update", "items update", "items update",
        "locations update", "auth sign_in_failed",
      ]);
      expect(linked.every((a) => a.import_id === importId)).toBe(true);
      expect(linked.slice(0, -1).every((a) => a.actor_id === USERS.korean.id)).toBe(true);

      // The setting emptied (as a finished transaction leaves it): no link.
      const after = await lastAuditId(q);
      await q("select set_config('duly.import_id', '', true)");
      await q("update public.items set reorder_point = reorder_point + 1 where id = any($1::uuid[])", [items]);
      await q("insert into public.audit_log (action, table_name) values ('sign_in_failed', 'auth')");
      const unlinked = await q<{ import_id: string | null }>("select import_id::text from public.audit_log where id > $1", [after]);
      expect(unlinked).toHaveLength(4);
      expect(unlinked.every((a) => a.import_id === null)).toBe(true);
    });
  });

  it("the actor of a call is the signed-in user, and the table filter still lists flow_lines and items", async () => {
    await getDb().rolledBack(async (q) => {
      const from = await lastAuditId(q);
      const { flow } = await fixture(q);
      const lines = await q<{ actor_id: string }>(
        "select actor_id::text from public.audit_log where id > $1 and table_name = 'flow_lines' and after ->> 'flow_id' = $2", [from, flow]);
      expect(lines).toEqual([{ actor_id: USERS.korean.id }]);
      await become(q, "admin");
      const [{ t } = { t: [] as string[] }] = await q<{ t: string[] }>("select public.audit_tables() as t");
      expect(t).toEqual(expect.arrayContaining(["flow_lines", "items", "flows", "locations", "messages", "profiles"]));
    });
  });
});
