import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { anon, call, service, type Caller } from "@/lib/db";
import type { PgliteTransport } from "@/lib/db/pglite";
import {
  fnAttachmentDelete,
  fnAttachmentGet,
  fnAttachmentPrepare,
  fnAttachmentRegister,
  fnAttachmentsList,
} from "@/lib/data/attachments";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { attempt, sqlAs, withRole } from "../helpers/sql-as";
import { databaseForSuite, type MakeDb, type TestDb } from "../helpers/test-db";

// The attachments database contract, run unchanged on PGlite and real Postgres: public.attachments for every role including anon (select/insert/update/delete
// allowed and denied), each function of 20261122000720 both ways, and the storage.objects
// policies (on a stand-in storage schema, as Supabase has one).

const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];
const DELETERS: DemoUser[] = ["admin", "manager", "korean"];
const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const MIGRATIONS = path.resolve(__dirname, "../../supabase/migrations");
// What a migration does to Supabase Storage is in `do $storage$ … $storage$;` blocks, which skip
// themselves without a storage schema (plain Postgres, PGlite).
const STORAGE_BLOCK = /^do \$storage\$\n[\s\S]*?\n\$storage\$;$/gm;

/**
 * Every migration's storage blocks, in migration order: what a Supabase project has once they all
 * ran. Only those blocks, so that no function goes back to an older version. A migration that
 * names the storage schema outside such a block fails here, so none is missed.
 */
async function storageBlocks(): Promise<string[]> {
  const blocks: string[] = [];
  for (const name of (await readdir(MIGRATIONS)).filter((f) => f.endsWith(".sql")).sort()) {
    const sql = await readFile(path.join(MIGRATIONS, name), "utf8");
    const found = sql.match(STORAGE_BLOCK) ?? [];
    const rest = found.reduce((text, block) => text.replace(block, ""), sql).replace(/^\s*--.*$/gm, "");
    expect(rest, `${name} names storage outside a do $storage$ block`).not.toMatch(/\bstorage\.(objects|buckets)\b/);
    blocks.push(...found);
  }
  return blocks;
}

/** A multi-statement script (a migration file) on the test database. */
async function runScript(db: TestDb, sql: string): Promise<void> {
  // PGlite's query() takes one statement; its exec() takes a script. pg's query() without
  // parameters already does.
  if (db.engine === "pglite") await (db.transport as PgliteTransport).db.exec(sql);
  else await db.query(sql);
}

function describeAttachmentsContract(makeDb: MakeDb) {
  describe("attachments: database contract", () => {
    const getDb = databaseForSuite(makeDb);
    const q = (sql: string, params?: unknown[]) => getDb().query(sql, params);

    const ids = { acmeInspection: "", blueskyInspection: "", acmeShared: "", acmeInternal: "", blueskyDoc: "" };
    const newPath = (customer: string) => `${customer}/${crypto.randomUUID()}`;
    // attachment_register executes only as service_role (it trusts the server's content check):
    // the app calls it with the service role and the actor's id, as here.
    type RegisterArgs = Omit<Parameters<typeof call<typeof fnAttachmentRegister.args, typeof fnAttachmentRegister.result>>[1], "p_actor">;
    const registerFor = (who: DemoUser, args: RegisterArgs) => call(fnAttachmentRegister, { ...args, p_actor: USERS[who].id }, service);
    const SHA = "a".repeat(64);

    async function inspection(customer: string): Promise<string> {
      const [row] = await q(
        `insert into public.inspection_applications (number, customer_id, product, factory_name, inspection_type, requested_date)
         values ('INS-T-' || gen_random_uuid(), $1, 'Monitor', 'Factory', 'pre_shipment', current_date) returning id`,
        [customer],
      );
      return row.id as string;
    }

    async function attachment(customer: string, opts: { inspection?: string; kind?: string; internal?: boolean } = {}): Promise<string> {
      const [row] = await q(
        `insert into public.attachments (customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path, internal)
         values ($1, $2, $3, 'file.pdf', 'application/pdf', 10, $4, $5) returning id`,
        [customer, opts.inspection ?? null, opts.kind ?? "document", newPath(customer), opts.internal ?? false],
      );
      return row.id as string;
    }

    beforeAll(async () => {
      ids.acmeInspection = await inspection(CUSTOMERS.acme);
      ids.blueskyInspection = await inspection(CUSTOMERS.bluesky);
      ids.acmeShared = await attachment(CUSTOMERS.acme, { inspection: ids.acmeInspection, kind: "report" });
      ids.acmeInternal = await attachment(CUSTOMERS.acme, { inspection: ids.acmeInspection, kind: "photo", internal: true });
      ids.blueskyDoc = await attachment(CUSTOMERS.bluesky);
    });

    const fixtureIds = () => [ids.acmeShared, ids.acmeInternal, ids.blueskyDoc];
    const visible = async (who: DemoUser) =>
      (await sqlAs<{ id: string }>(getDb(), who, "select id from public.attachments where id = any($1::uuid[])", [fixtureIds()]))
        .map((r) => r.id)
        .sort();

    function insertSql(customer: string, kind = "document", inspectionId: string | null = null, by: string | null = null) {
      return {
        sql: `insert into public.attachments (customer_id, inspection_id, kind, file_name, content_type, size_bytes, storage_path, uploaded_by)
              values ($1, $2, $3, 'x.pdf', 'application/pdf', 5, $4, $5) returning id`,
        params: [customer, inspectionId, kind, newPath(customer), by],
      };
    }

    describe("public.attachments: the table itself", () => {
      it("anon can neither read, insert, update nor delete", async () => {
        const i = insertSql(CUSTOMERS.acme);
        await expect(sqlAs(getDb(), "anon", "select id from public.attachments")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "anon", i.sql, i.params)).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "anon", "update public.attachments set file_name = 'y'")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "anon", "delete from public.attachments")).rejects.toMatchObject({ code: "42501" });
      });

      it.each(STAFF)("%s reads every company's files, internal ones too", async (who) => {
        expect(await visible(who)).toEqual(fixtureIds().sort());
      });

      it("customers read their own company's shared files only", async () => {
        expect(await visible("acme")).toEqual([ids.acmeShared]);
        expect(await visible("bluesky")).toEqual([ids.blueskyDoc]);
      });

      it("nobody reads the hash or updated_at columns directly (not granted)", async () => {
        await expect(sqlAs(getDb(), "admin", "select sha256 from public.attachments")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "acme", "select updated_at from public.attachments")).rejects.toMatchObject({ code: "42501" });
      });

      it.each(STAFF)("%s may insert a row for any company", async (who) => {
        const i = insertSql(CUSTOMERS.bluesky, "report", ids.blueskyInspection, USERS[who].id);
        await expect(sqlAs(getDb(), who, i.sql, i.params)).resolves.toHaveLength(1);
      });

      it("a customer inserts a document for their own company (and own inspection), as themselves", async () => {
        const own = insertSql(CUSTOMERS.acme, "document", ids.acmeInspection, USERS.acme.id);
        await expect(sqlAs(getDb(), "acme", own.sql, own.params)).resolves.toHaveLength(1);
      });

      it("a customer may not insert for another company, into another company's inspection, a staff kind, or as someone else", async () => {
        await withRole(getDb(), "acme", async (tx) => {
          const cases = [
            insertSql(CUSTOMERS.bluesky, "document", null, USERS.acme.id),
            insertSql(CUSTOMERS.acme, "document", ids.blueskyInspection, USERS.acme.id),
            insertSql(CUSTOMERS.acme, "report", null, USERS.acme.id),
            insertSql(CUSTOMERS.acme, "document", null, USERS.admin.id),
          ];
          for (const c of cases) {
            const r = await attempt(tx, c.sql, c.params);
            expect(r.ok, JSON.stringify(c.params)).toBe(false);
            if (!r.ok) expect(r.error.code).toBe("42501");
          }
          // The internal flag is not even a column a customer may write.
          const internal = await attempt(
            tx,
            `insert into public.attachments (customer_id, kind, file_name, content_type, size_bytes, storage_path, uploaded_by, internal)
             values ($1, 'document', 'x.pdf', 'application/pdf', 5, $2, $3, true)`,
            [CUSTOMERS.acme, newPath(CUSTOMERS.acme), USERS.acme.id],
          );
          expect(internal).toMatchObject({ ok: false, error: { code: "42501" } });
        });
      });

      it.each([...STAFF, "acme", "bluesky"] as DemoUser[])("%s may not update a row (files never change)", async (who) => {
        await expect(
          sqlAs(getDb(), who, "update public.attachments set file_name = 'renamed.pdf' where id = $1", [ids.acmeShared]),
        ).rejects.toMatchObject({ code: "42501" });
      });

      it.each(DELETERS)("%s may delete a row", async (who) => {
        const rows = await sqlAs(getDb(), who, "delete from public.attachments where id = $1 returning id", [ids.blueskyDoc]);
        expect(rows).toHaveLength(1);
      });

      it.each(["chinese", "acme", "bluesky"] as DemoUser[])("%s deletes nothing", async (who) => {
        const rows = await sqlAs(getDb(), who, "delete from public.attachments where id = any($1::uuid[]) returning id", [fixtureIds()]);
        expect(rows).toHaveLength(0);
        expect((await q("select count(*)::int as n from public.attachments where id = any($1::uuid[])", [fixtureIds()]))[0].n).toBe(3);
      });
    });

    describe("attachment_prepare and attachment_register", () => {
      it.each(STAFF)("%s prepares and registers a report for an ACME inspection", async (who) => {
        const place = await call(fnAttachmentPrepare, { p_kind: "report", p_inspection_id: ids.acmeInspection }, as(who));
        expect(place.customer_id).toBe(CUSTOMERS.acme);
        expect(place.storage_path).toMatch(new RegExp(`^${CUSTOMERS.acme}/[0-9a-f-]{36}$`));
        const row = await registerFor(who, {
          p_kind: "report",
          p_inspection_id: ids.acmeInspection,
          p_storage_path: place.storage_path,
          p_file_name: " report.pdf ",
          p_content_type: "application/pdf",
          p_size_bytes: 1234,
          p_sha256: SHA,
        });
        expect(row).toMatchObject({ customer_id: CUSTOMERS.acme, file_name: "report.pdf", uploaded_by: USERS[who].id, internal: false });
        const [audit] = await q("select actor_id from public.audit_log where table_name = 'attachments' and row_id = $1", [row.id]);
        expect(audit.actor_id).toBe(USERS[who].id);
      });

      it("a customer registers a document for their own company", async () => {
        const place = await call(fnAttachmentPrepare, { p_kind: "document", p_customer_id: CUSTOMERS.acme }, as("acme"));
        const row = await registerFor("acme", {
          p_kind: "document", p_customer_id: CUSTOMERS.acme, p_storage_path: place.storage_path, p_file_name: "po.xlsx",
          p_content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", p_size_bytes: 99, p_sha256: SHA,
        });
        expect(row).toMatchObject({ customer_id: CUSTOMERS.acme, kind: "document", uploaded_by: USERS.acme.id });
      });

      it("a customer is refused for another company (forbidden), another company's inspection (not_found), staff kinds and internal files", async () => {
        await expect(call(fnAttachmentPrepare, { p_kind: "document", p_customer_id: CUSTOMERS.bluesky }, as("acme"))).rejects.toEqual(appError("forbidden"));
        await expect(call(fnAttachmentPrepare, { p_kind: "document", p_inspection_id: ids.blueskyInspection }, as("acme"))).rejects.toEqual(
          appError("not_found"),
        );
        await expect(call(fnAttachmentPrepare, { p_kind: "report", p_customer_id: CUSTOMERS.acme }, as("acme"))).rejects.toEqual(appError("forbidden"));
        await expect(call(fnAttachmentPrepare, { p_kind: "document", p_customer_id: CUSTOMERS.acme, p_internal: true }, as("acme"))).rejects.toEqual(
          appError("forbidden"),
        );
        // Registering for the customer (skipping prepare) runs the same checks.
        await expect(
          registerFor("acme", {
            p_kind: "document", p_customer_id: CUSTOMERS.bluesky, p_storage_path: newPath(CUSTOMERS.bluesky), p_file_name: "x.pdf",
            p_content_type: "application/pdf", p_size_bytes: 5, p_sha256: SHA,
          }),
        ).rejects.toEqual(appError("forbidden"));
      });

      it("bad targets and metadata are refused with a field error, not_found or conflict", async () => {
        const base = { p_kind: "report" as const, p_customer_id: CUSTOMERS.acme, p_file_name: "r.pdf", p_content_type: "application/pdf", p_size_bytes: 5, p_sha256: SHA };
        await expect(call(fnAttachmentPrepare, { p_kind: "report" }, as("admin"))).rejects.toEqual(appError("validation_failed"));
        await expect(call(fnAttachmentPrepare, { p_kind: "report", p_inspection_id: crypto.randomUUID() }, as("admin"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentPrepare, { p_kind: "report", p_customer_id: crypto.randomUUID() }, as("admin"))).rejects.toEqual(appError("not_found"));
        await expect(
          call(fnAttachmentPrepare, { p_kind: "report", p_customer_id: CUSTOMERS.bluesky, p_inspection_id: ids.acmeInspection }, as("admin")),
        ).rejects.toEqual(appError("validation_failed"));
        const cases: Record<string, unknown>[] = [
          { p_storage_path: newPath(CUSTOMERS.bluesky) }, // another customer's folder
          { p_storage_path: `${CUSTOMERS.acme}/../../etc/passwd` },
          { p_storage_path: newPath(CUSTOMERS.acme), p_content_type: "application/x-msdownload" },
          { p_storage_path: newPath(CUSTOMERS.acme), p_size_bytes: 21 * 1024 * 1024 },
          { p_storage_path: newPath(CUSTOMERS.acme), p_size_bytes: 0 },
          { p_storage_path: newPath(CUSTOMERS.acme), p_file_name: "../x.pdf" },
          { p_storage_path: newPath(CUSTOMERS.acme), p_sha256: "nope" },
        ];
        for (const c of cases) {
          await expect(registerFor("admin", { ...base, ...c } as never), JSON.stringify(c)).rejects.toEqual(appError("validation_failed"));
        }
        const p = newPath(CUSTOMERS.acme);
        await registerFor("admin", { ...base, p_storage_path: p });
        await expect(registerFor("admin", { ...base, p_storage_path: p })).rejects.toEqual(appError("conflict"));
      });

      it("a customer naming a staff member as p_actor still acts as themselves", async () => {
        await expect(
          call(fnAttachmentPrepare, { p_kind: "report", p_customer_id: CUSTOMERS.bluesky, p_actor: USERS.admin.id }, as("acme")),
        ).rejects.toEqual(appError("forbidden"));
      });

      it("the server (service role) acts for the user it names", async () => {
        const place = await call(fnAttachmentPrepare, { p_kind: "photo", p_customer_id: CUSTOMERS.bluesky, p_actor: USERS.korean.id }, service);
        const row = await call(
          fnAttachmentRegister,
          { p_kind: "photo", p_customer_id: CUSTOMERS.bluesky, p_storage_path: place.storage_path, p_file_name: "p.png",
            p_content_type: "image/png", p_size_bytes: 5, p_sha256: SHA, p_actor: USERS.korean.id },
          service,
        );
        expect(row.uploaded_by).toBe(USERS.korean.id);
        await expect(call(fnAttachmentPrepare, { p_kind: "photo", p_customer_id: CUSTOMERS.bluesky }, service)).rejects.toEqual(appError("unauthorized"));
      });

      it.each([...STAFF, "acme"] as DemoUser[])("%s's own session may not register (service role only), even for a prepared path", async (who) => {
        const place = await call(fnAttachmentPrepare, { p_kind: "document", p_customer_id: CUSTOMERS.acme }, as(who));
        const args = { p_kind: "document" as const, p_customer_id: CUSTOMERS.acme, p_storage_path: place.storage_path, p_file_name: "x.pdf",
          p_content_type: "application/pdf", p_size_bytes: 5, p_sha256: SHA };
        await expect(call(fnAttachmentRegister, args, as(who))).rejects.toEqual(appError("forbidden"));
        await expect(call(fnAttachmentRegister, { ...args, p_actor: USERS.admin.id }, as(who))).rejects.toEqual(appError("forbidden"));
        expect((await q("select count(*)::int as n from public.attachments where storage_path = $1", [place.storage_path]))[0].n).toBe(0);
      });

      it("anon may execute none of them", async () => {
        await expect(call(fnAttachmentPrepare, { p_kind: "document", p_customer_id: CUSTOMERS.acme }, anon)).rejects.toEqual(appError("forbidden"));
        await expect(
          sqlAs(getDb(), "anon", `select public.attachment_prepare(p_kind => 'document', p_customer_id => '${CUSTOMERS.acme}')`),
        ).rejects.toMatchObject({ code: "42501" });
        await expect(
          sqlAs(getDb(), "anon", `select public.attachment_register('${newPath(CUSTOMERS.acme)}', 'x.pdf', 'application/pdf', 5, '${SHA}', 'document', '${CUSTOMERS.acme}')`),
        ).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("attachments_list and attachment_get", () => {
      const listIds = async (caller: Caller, args: Parameters<typeof call<typeof fnAttachmentsList.args, typeof fnAttachmentsList.result>>[1]) =>
        (await call(fnAttachmentsList, args, caller)).data.map((a) => a.id);

      it.each(STAFF)("%s lists an inspection's files, internal ones too, and gets any file", async (who) => {
        const got = await listIds(as(who), { p_inspection_id: ids.acmeInspection, p_page: 1, p_limit: 100 });
        expect(got).toEqual(expect.arrayContaining([ids.acmeShared, ids.acmeInternal]));
        await expect(call(fnAttachmentGet, { p_id: ids.acmeInternal }, as(who))).resolves.toMatchObject({ id: ids.acmeInternal, internal: true });
        await expect(call(fnAttachmentGet, { p_id: ids.blueskyDoc }, as(who))).resolves.toMatchObject({ id: ids.blueskyDoc });
      });

      it("a customer lists their own inspection's and company's files without internal ones", async () => {
        const byInspection = await listIds(as("acme"), { p_inspection_id: ids.acmeInspection, p_page: 1, p_limit: 100 });
        expect(byInspection).toContain(ids.acmeShared);
        expect(byInspection).not.toContain(ids.acmeInternal);
        const mine = await call(fnAttachmentsList, { p_page: 1, p_limit: 100 }, as("acme"));
        expect(mine.data.length).toBeGreaterThan(0);
        expect(mine.data.every((a) => a.customer_id === CUSTOMERS.acme && !a.internal)).toBe(true);
        expect(mine.count).toBe(mine.data.length);
        await expect(call(fnAttachmentGet, { p_id: ids.acmeShared }, as("acme"))).resolves.toMatchObject({ id: ids.acmeShared });
      });

      it("a customer gets not_found for another company's file or inspection, and for internal files", async () => {
        await expect(call(fnAttachmentGet, { p_id: ids.blueskyDoc }, as("acme"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentGet, { p_id: ids.acmeShared }, as("bluesky"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentGet, { p_id: ids.acmeInternal }, as("acme"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentsList, { p_inspection_id: ids.acmeInspection, p_page: 1, p_limit: 10 }, as("bluesky"))).rejects.toEqual(
          appError("not_found"),
        );
        await expect(call(fnAttachmentsList, { p_customer_id: CUSTOMERS.acme, p_page: 1, p_limit: 10 }, as("bluesky"))).rejects.toEqual(
          appError("forbidden"),
        );
      });

      // A page of files as JSON in one statement (20261223000600).
      it("each listed file is what getting it shows; the page builder called directly shows a customer its company's shared files only", async () => {
        for (const who of ["manager", "acme"] as const) {
          const page = await call(fnAttachmentsList, { p_page: 1, p_limit: 100 }, as(who));
          expect(page.data.length).toBeGreaterThan(0);
          for (const row of page.data) expect(row).toEqual(await call(fnAttachmentGet, { p_id: row.id }, as(who)));
        }
        const direct = async (who: DemoUser) =>
          (await sqlAs<{ id: string }>(getDb(), who, "select data ->> 'id' as id from private.attachments_json($1) order by 1", [fixtureIds()])).map((r) => r.id);
        expect(await direct("chinese")).toEqual([...fixtureIds()].sort());
        expect(await direct("acme")).toEqual([ids.acmeShared]);
        expect(await direct("bluesky")).toEqual([ids.blueskyDoc]);
        await expect(sqlAs(getDb(), "anon", "select private.attachments_json($1)", [fixtureIds()])).rejects.toMatchObject({ code: "42501" });
      });

      it("an unknown id is not_found for staff too; anon may execute neither", async () => {
        await expect(call(fnAttachmentGet, { p_id: crypto.randomUUID() }, as("admin"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentGet, { p_id: ids.acmeShared }, anon)).rejects.toEqual(appError("forbidden"));
        await expect(sqlAs(getDb(), "anon", "select public.attachments_list()")).rejects.toMatchObject({ code: "42501" });
        await expect(sqlAs(getDb(), "anon", `select public.attachment_get('${ids.acmeShared}')`)).rejects.toMatchObject({ code: "42501" });
      });
    });

    describe("attachment_delete", () => {
      const exists = async (id: string) => (await q("select 1 from public.attachments where id = $1", [id])).length === 1;

      it("a customer gets not_found for another company's file and forbidden for their own; the rows stay", async () => {
        await expect(call(fnAttachmentDelete, { p_id: ids.acmeShared }, as("bluesky"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentDelete, { p_id: ids.acmeInternal }, as("acme"))).rejects.toEqual(appError("not_found"));
        await expect(call(fnAttachmentDelete, { p_id: ids.acmeShared }, as("acme"))).rejects.toEqual(appError("forbidden"));
        expect(await exists(ids.acmeShared)).toBe(true);
      });

      it("chinese staff may not delete; anon may not execute it", async () => {
        await expect(call(fnAttachmentDelete, { p_id: ids.acmeShared }, as("chinese"))).rejects.toEqual(appError("forbidden"));
        await expect(sqlAs(getDb(), "anon", `select public.attachment_delete('${ids.acmeShared}')`)).rejects.toMatchObject({ code: "42501" });
        expect(await exists(ids.acmeShared)).toBe(true);
      });

      it.each(DELETERS)("%s deletes a file and gets its storage path back; the audit log names them", async (who) => {
        const id = await attachment(CUSTOMERS.acme);
        const row = await call(fnAttachmentDelete, { p_id: id }, as(who));
        expect(row.storage_path).toMatch(new RegExp(`^${CUSTOMERS.acme}/`));
        expect(await exists(id)).toBe(false);
        const [audit] = await q("select actor_id from public.audit_log where table_name = 'attachments' and row_id = $1 and action = 'delete'", [id]);
        expect(audit.actor_id).toBe(USERS[who].id);
        await expect(call(fnAttachmentDelete, { p_id: id }, as(who))).rejects.toEqual(appError("not_found"));
      });
    });

    describe("storage.objects policies (Supabase) on a stand-in storage schema", () => {
      let acmeObject = "";
      let internalObject = "";
      let blueskyObject = "";

      beforeAll(async () => {
        // Without a storage schema the migration skipped this part (plain Postgres and PGlite).
        expect((await q("select to_regclass('storage.objects') as t"))[0].t).toBeNull();
        await q("create schema storage");
        await q(`create table storage.buckets (id text primary key, name text not null, public boolean default false,
                   file_size_limit bigint, allowed_mime_types text[])`);
        await q(`create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id),
                   name text not null, owner uuid)`);
        await q("alter table storage.objects enable row level security");
        await q("grant usage on schema storage to anon, authenticated");
        await q("grant select, insert, update, delete on storage.objects to anon, authenticated");
        await q("grant all on storage.objects, storage.buckets to service_role");
        await q("grant usage on schema storage to service_role");
        // The migrations' storage blocks, run again in order now that there is a storage schema:
        // the bucket and the policies as they are on Supabase.
        const blocks = await storageBlocks();
        expect(blocks.length).toBeGreaterThanOrEqual(3);
        for (const block of blocks) await runScript(getDb(), block);
        const pathOf = async (id: string) => (await q("select storage_path from public.attachments where id = $1", [id]))[0].storage_path as string;
        acmeObject = await pathOf(ids.acmeShared);
        internalObject = await pathOf(ids.acmeInternal);
        blueskyObject = await pathOf(ids.blueskyDoc);
        for (const name of [acmeObject, internalObject, blueskyObject]) {
          await q("insert into storage.objects (bucket_id, name) values ('attachments', $1)", [name]);
        }
      });

      const names = async (who: DemoUser | "anon") =>
        (await sqlAs<{ name: string }>(getDb(), who, "select name from storage.objects order by name")).map((r) => r.name);

      it("creates a private bucket limited to 20 MB and the accepted types", async () => {
        const [bucket] = await q("select public, file_size_limit::int as file_size_limit, allowed_mime_types from storage.buckets where id = 'attachments'");
        expect(bucket).toMatchObject({ public: false, file_size_limit: 20971520 });
        expect(bucket.allowed_mime_types).toContain("application/pdf");
      });

      it("staff read every object; customers only their company's shared ones; anon none", async () => {
        expect(await names("korean")).toEqual([acmeObject, internalObject, blueskyObject].sort());
        expect(await names("acme")).toEqual([acmeObject]);
        expect(await names("bluesky")).toEqual([blueskyObject]);
        expect(await names("anon")).toEqual([]);
      });

      // 20261205000200: the server stores and removes the bytes with the service role (direct
      // uploads go to signed upload URLs, which need no policy), so a user's own token neither
      // puts objects (unchecked content) nor removes them (leaving the row without its file).
      it("nobody uploads with their own token, not even into their own company's folder", async () => {
        const insert = "insert into storage.objects (bucket_id, name) values ('attachments', $1)";
        for (const who of [...STAFF, "acme", "bluesky", "anon"] as const) {
          await expect(sqlAs(getDb(), who, insert, [newPath(CUSTOMERS.acme)]), who).rejects.toMatchObject({ code: "42501" });
        }
        await expect(sqlAs(getDb(), "service_role", insert, [newPath(CUSTOMERS.acme)])).resolves.toBeDefined();
      });

      it("nobody deletes or updates objects with their own token; the service role does", async () => {
        const del = "delete from storage.objects where name = $1 returning name";
        for (const who of [...STAFF, "acme", "bluesky", "anon"] as const) expect(await sqlAs(getDb(), who, del, [blueskyObject]), who).toHaveLength(0);
        for (const who of [...STAFF, "acme"] as DemoUser[]) {
          expect(await sqlAs(getDb(), who, "update storage.objects set name = name || 'x' returning name")).toHaveLength(0);
        }
        expect(await sqlAs(getDb(), "service_role", del, [blueskyObject])).toHaveLength(1);
      });
    });
  });
}

describeAttachmentsContract(contractDb);
