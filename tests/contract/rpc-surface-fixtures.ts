import { service } from "@/lib/db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { createCustomer, createUser } from "../helpers/fixtures";
import type { TestDb } from "../helpers/test-db";

// Records for the RPC surface probes (tests/contract/rpc-surface.contract.ts), made fresh for each call
// that changes them: through the app's own functions, with the service role acting for a demo
// user (as the app's server code would), or plain SQL where no function makes them.

export type Args = Record<string, unknown>;
export type Customer = (typeof CUSTOMERS)[keyof typeof CUSTOMERS];

export const LOCATION = { kr: "10000000-0000-4000-8000-000000000001", cn: "10000000-0000-4000-8000-000000000002" } as const;
export const ENGINE = "e0000000-0000-4000-8000-000000000001";
export const IMPORT_HEADERS = ["SKU", "Qty"];
export const IMPORT_MAPPING = { sku: 0, qty: 1 };

let counter = 0;
/** A value no other call of this run has used (codes, SKUs, keys). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${counter}${Math.floor(Math.random() * 1e6)}`;
}

/** The company a customer user belongs to; staff act on ACME's records. */
export function companyOf(who: DemoUser): Customer {
  return who === "bluesky" ? CUSTOMERS.bluesky : CUSTOMERS.acme;
}

/** The customer user of a company. */
export function userOf(customer: Customer): DemoUser {
  return customer === CUSTOMERS.bluesky ? "bluesky" : "acme";
}

export type Fixtures = ReturnType<typeof fixtures>;

export function fixtures(db: TestDb) {
  const svc = async <T = Record<string, unknown>>(fn: string, args: Args, who: DemoUser): Promise<T> =>
    (await db.transport.rpc(fn, { ...args, p_actor: USERS[who].id }, service)) as T;
  const id = async (fn: string, args: Args, who: DemoUser) => (await svc<{ id: string }>(fn, args, who)).id;

  /** A live personal access token of `who` (its hash only: probes never present it). */
  async function token(who: DemoUser): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      `insert into public.personal_access_tokens (user_id, name, scope, token_hash, token_prefix, expires_at)
       values ($1, 'Probe token', 'read', encode(extensions.gen_random_bytes(32), 'hex'), 'duly_pat_0000', now() + interval '30 days') returning id`,
      [USERS[who].id],
    );
    return row.id;
  }

  /** A glossary term (its removal is probed). */
  async function term(): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      "insert into public.translation_terms (term_ko, term_en) values ($1, 'probe term') returning id",
      [unique("용어")],
    );
    return row.id;
  }

  async function item(customer: Customer | null = null): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      "insert into public.items (sku, name_ko, customer_id, engine_id) values ($1, 'Probe item', $2, $3) returning id",
      [unique("P"), customer, ENGINE],
    );
    return row.id;
  }

  type FlowStatus = "draft" | "submitted" | "approved" | "committed";
  const steps: FlowStatus[] = ["draft", "submitted", "approved", "committed"];

  /** A flow created by korean_team, taken as far as `status` (approved and committed by the manager). */
  async function flow(status: FlowStatus, opts: { kind?: "inbound" | "outbound"; itemId?: string; customer?: Customer } = {}): Promise<string> {
    const kind = opts.kind ?? "inbound";
    const lines = [{ item_id: opts.itemId ?? (await item()), qty: 1 }];
    const where = kind === "inbound" ? { p_to_location_id: LOCATION.kr } : { p_from_location_id: LOCATION.kr };
    const flowId = await id("flow_create", { p_kind: kind, p_lines: lines, p_customer_id: opts.customer, ...where }, "korean");
    const upTo = steps.indexOf(status);
    if (upTo >= 1) await svc("flow_submit", { p_id: flowId }, "korean");
    if (upTo >= 2) await svc("flow_approve", { p_id: flowId }, "manager");
    if (upTo >= 3) await svc("flow_commit", { p_id: flowId }, "manager");
    return flowId;
  }

  /** A committed outbound flow of the company's own goods: a shipment its portal shows. */
  async function shipment(customer: Customer): Promise<string> {
    const goods = await item(customer);
    await flow("committed", { itemId: goods });
    return flow("committed", { kind: "outbound", itemId: goods, customer });
  }

  type InspectionStatus = "submitted" | "scheduled" | "in_progress" | "report_ready";
  const inspectionSteps: InspectionStatus[] = ["submitted", "scheduled", "in_progress", "report_ready"];

  /** An inspection application of the company (by its customer user), taken as far as `status` by korean_team. */
  async function inspection(customer: Customer, status: InspectionStatus = "submitted"): Promise<string> {
    const data = { product: "Probe monitor", factory_name: "Probe factory", inspection_type: "pre_shipment", requested_date: "2027-03-01" };
    const inspectionId = await id("inspection_create", { p_data: data }, userOf(customer));
    const upTo = inspectionSteps.indexOf(status);
    if (upTo >= 1) await svc("inspection_schedule", { p_id: inspectionId, p_scheduled_date: "2027-03-02", p_inspector_id: USERS.korean.id }, "korean");
    if (upTo >= 2) await svc("inspection_start", { p_id: inspectionId }, "korean");
    if (upTo >= 3) await svc("inspection_report", { p_id: inspectionId, p_result: "pass" }, "korean");
    return inspectionId;
  }

  /** An attachment row of the company (a document, shared with the customer unless internal). */
  async function attachment(customer: Customer, internal = false): Promise<string> {
    const [row] = await db.query<{ id: string }>(
      `insert into public.attachments (customer_id, kind, file_name, content_type, size_bytes, storage_path, internal)
       values ($1::uuid, 'document', 'probe.pdf', 'application/pdf', 10, $1::text || '/' || gen_random_uuid(), $2) returning id`,
      [customer, internal],
    );
    return row.id;
  }

  /** A pending direct upload begun by `who` for their own company (ACME for staff). */
  function upload(who: DemoUser): Promise<string> {
    return id(
      "attachment_upload_begin",
      { p_kind: "document", p_file_name: "probe.pdf", p_content_type: "application/pdf", p_size_bytes: 10, p_customer_id: companyOf(who) },
      who,
    );
  }

  /** A staff user (korean_team) and a customer company, for the admin's and staff's record functions. */
  const user = async () => (await createUser(db.query, { role: "korean_team" })).id;
  const customer = async () => (await createCustomer(db.query)).id;

  /**
   * A packing-list import begun by `who` (as the app records one: the service role for the actor),
   * one row of a fresh item, 3 pieces into Seoul; validated too when `ready`.
   */
  async function importOf(who: DemoUser, ready = false): Promise<string> {
    const [{ sku }] = await db.query<{ sku: string }>("select sku from public.items where id = $1", [await item()]);
    const importId = await id(
      "import_begin",
      {
        p_kind: "inbound", p_file_name: "probe.xlsx", p_file_size: 100, p_sheet_name: "Sheet1", p_header_row: 1,
        p_headers: IMPORT_HEADERS, p_mapping: IMPORT_MAPPING, p_expected_rows: 1, p_location_id: LOCATION.kr,
      },
      who,
    );
    await svc("import_rows_add", { p_id: importId, p_rows: [{ row_no: 2, cells: [sku, "3"] }], p_last: true }, who);
    if (ready) await svc("import_validate", { p_id: importId, p_limit: 100 }, who);
    return importId;
  }

  return { svc, item, flow, shipment, inspection, attachment, upload, user, customer, importOf, token, term };
}

/**
 * A digest of every table in public, private and auth: equal before and after a call means the
 * call wrote nothing anywhere (audit rows and security events included). Per table, its row count
 * and the newest row version's transaction id (xmin): an insert or an update leaves a row version
 * with a newer xmin, a delete alone lowers the count, and a rolled-back write leaves neither.
 * Cheaper than reading every row as text (each test takes two: that was a quarter of the file's
 * time). Tested in the catalogue section of rpc-surface.contract.ts.
 */
export const FINGERPRINT_FUNCTION = `
create schema if not exists rpc_probe;
create or replace function rpc_probe.fingerprint() returns text language plpgsql as $fp$
declare
  t record;
  h text;
  acc text := '';
begin
  for t in select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname in ('public', 'private', 'auth') and c.relkind = 'r' order by 1, 2 loop
    execute format('select count(*) || ''/'' || coalesce(max(x.xmin::text::bigint), 0) from %I.%I x', t.nspname, t.relname) into h;
    acc := acc || t.nspname || '.' || t.relname || '=' || h || ';';
  end loop;
  return md5(acc);
end;
$fp$;`;
