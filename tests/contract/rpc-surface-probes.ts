import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { companyOf, ENGINE, IMPORT_MAPPING, LOCATION, unique, userOf, type Args, type Customer, type Fixtures } from "./rpc-surface-fixtures";

// How to call each function of the authenticated surface directly (tests/helpers/rpc-surface.ts),
// for tests/contract/rpc-surface.contract.ts:
//   args  — a call the caller `who` is allowed to make (fresh records where the call changes them;
//           a customer's own company's records, ACME's for staff);
//   other — (functions customers may call) the same call naming Blue Sky's records, made by ACME:
//           refused, or nothing of Blue Sky's comes back;
//   bad   — values the HTTP API refuses (oversized, out of range, another company's, unknown):
//           each refused for the first role allowed, with nothing written.

export type Probe = {
  args: (fx: Fixtures, who: DemoUser) => Args | Promise<Args>;
  other?: (fx: Fixtures) => Args | Promise<Args>;
  bad?: Record<string, (fx: Fixtures) => Args | Promise<Args>>;
};

const page = { p_page: 1, p_limit: 10 };
const long = (n: number) => "x".repeat(n);
const overLongSearch = { ...page, p_q: long(101) };
const oversizedPage = { p_page: 1, p_limit: 1000 };
// Exports read in keyset batches of at most 10,000 rows.
const batch = { p_limit: 10 };
const oversizedBatch = { p_limit: 10_001 };
const exportProbe = (search: boolean) => ({
  args: () => batch,
  bad: { "an oversized batch": () => oversizedBatch, ...(search ? { "an overlong search": () => ({ ...batch, p_q: long(101) }) } : {}) },
});
const ownInspection = (fx: Fixtures, who: DemoUser) => fx.inspection(companyOf(who));
/** A message the company's own user wrote in a fresh application of theirs. */
const messageOf = async (fx: Fixtures, customer: Customer) => {
  const inspection = await fx.inspection(customer);
  return (await fx.svc<{ id: string }>("message_send", { p_inspection_id: inspection, p_body: "Probe 안녕하세요" }, userOf(customer))).id;
};
const inspectionData = (extra: Args = {}) => ({
  product: "Probe monitor",
  factory_name: "Probe factory",
  inspection_type: "pre_shipment",
  requested_date: "2027-03-01",
  ...extra,
});
const begin = (extra: Args = {}) => ({
  p_kind: "document",
  p_file_name: "probe.pdf",
  p_content_type: "application/pdf",
  p_size_bytes: 10,
  p_customer_id: CUSTOMERS.acme,
  ...extra,
});

export const PROBES: Readonly<Record<string, Probe>> = {
  // ----- profile and session -----
  "public.me": { args: () => ({}) },
  "public.me_counting": { args: () => ({ p_kind: "write", p_limit: 100000, p_window_seconds: 60, p_cost: 1, p_address_limit: 0 }) },
  "public.update_my_profile": {
    args: (_fx, who) => ({ p_display_name: `Probe ${who}` }),
    bad: {
      "a blank name": () => ({ p_display_name: "   " }),
      "a name over 100 characters": () => ({ p_display_name: long(101) }),
      "an unknown language": () => ({ p_locale: "fr" }),
    },
  },
  "public.pat_create": {
    args: (_fx, who) => ({ p_name: `Probe ${who}`, p_scope: "read", p_expires_in_days: 30 }),
    bad: {
      "a blank name": () => ({ p_name: "  ", p_scope: "read", p_expires_in_days: 30 }),
      "a name over 100 characters": () => ({ p_name: long(101), p_scope: "read", p_expires_in_days: 30 }),
      "an unknown scope": () => ({ p_name: "Probe", p_scope: "admin", p_expires_in_days: 30 }),
      "an expiry not offered": () => ({ p_name: "Probe", p_scope: "read", p_expires_in_days: 3650 }),
    },
  },
  "public.pat_list": { args: () => ({ p_all: false }) },
  "public.pat_revoke": {
    args: (fx, who) => fx.token(who).then((id) => ({ p_id: id })),
    other: (fx) => fx.token("bluesky").then((id) => ({ p_id: id })),
    bad: { "an unknown token": () => ({ p_id: "00000000-0000-4000-8000-00000000dead" }) },
  },
  "public.rpc_idempotent": {
    args: async (fx, who) =>
      who === "acme" || who === "bluesky"
        ? { p_key: unique("k"), p_hash: "h", p_fn: "messages_mark_read", p_args: { p_inspection_id: await ownInspection(fx, who) } }
        : { p_key: unique("k"), p_hash: "h", p_fn: "notifications_mark_read", p_args: { p_ids: [] } },
    bad: {
      "a function that takes no key": () => ({ p_key: unique("k"), p_hash: "h", p_fn: "users_list", p_args: {} }),
      "a service_role-only function": () => ({
        p_key: unique("k"),
        p_hash: "h",
        p_fn: "attachment_register",
        p_args: { p_storage_path: `${CUSTOMERS.acme}/${crypto.randomUUID()}`, p_file_name: "x.pdf", p_content_type: "application/pdf",
          p_size_bytes: 5, p_sha256: "a".repeat(64), p_kind: "document", p_customer_id: CUSTOMERS.acme },
      }),
      "an oversized request hash": () => ({ p_key: unique("k"), p_hash: long(129), p_fn: "notifications_mark_read", p_args: { p_ids: [] } }),
      "an oversized key": () => ({ p_key: long(201), p_hash: "h", p_fn: "notifications_mark_read", p_args: { p_ids: [] } }),
      "arguments that are not an object": () => ({ p_key: unique("k"), p_hash: "h", p_fn: "notifications_mark_read", p_args: [1] }),
    },
  },

  // ----- users and audit (admin) -----
  "public.admin_set_user_access": {
    args: async (fx) => ({ p_user_id: await fx.user(), p_active: true }),
    bad: { "a customer role without a company": async (fx) => ({ p_user_id: await fx.user(), p_role: "customer" }) },
  },
  "public.user_create_prepare": {
    args: () => ({ p_email: `${unique("new-").toLowerCase()}@test.example`, p_display_name: "New", p_role: "korean_team" }),
    bad: {
      "an oversized email": () => ({ p_email: `${long(250)}@test.example`, p_role: "korean_team" }),
      "a name over 100 characters": () => ({ p_email: `${unique("n").toLowerCase()}@test.example`, p_display_name: long(101), p_role: "korean_team" }),
      "an unknown role": () => ({ p_email: `${unique("n").toLowerCase()}@test.example`, p_role: "root" }),
    },
  },
  "public.user_customer_options": { args: () => ({}) },
  "public.user_get": { args: () => ({ p_id: USERS.korean.id }) },
  "public.user_update": {
    args: async (fx) => ({ p_user_id: await fx.user(), p_display_name: "Renamed" }),
    bad: {
      "a name over 100 characters": async (fx) => ({ p_user_id: await fx.user(), p_display_name: long(101) }),
      "a staff member linked to a company": async (fx) => ({ p_user_id: await fx.user(), p_customer_id: CUSTOMERS.acme }),
    },
  },
  "public.users_list": { args: () => page, bad: { "an overlong search": () => overLongSearch, "an oversized page": () => oversizedPage } },
  "public.audit_list": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.audit_tables": { args: () => ({}) },
  "public.staff_directory": { args: () => ({}) },

  // ----- catalogue -----
  "public.customers_list": { args: () => page, bad: { "an overlong search": () => overLongSearch, "an oversized page": () => oversizedPage } },
  "public.customer_get": { args: () => ({ p_id: CUSTOMERS.acme }) },
  "public.customer_create": {
    args: () => ({ p_data: { code: unique("C"), name: "Probe company" } }),
    bad: {
      "an oversized business number": () => ({ p_data: { code: unique("C"), name: "X", business_number: long(41) } }),
      "an oversized address": () => ({ p_data: { code: unique("C"), name: "X", address: long(501) } }),
      "an oversized contact, email or phone": () => ({ p_data: { code: unique("C"), name: "X", contact_name: long(101), phone: long(41) } }),
      "a bad code": () => ({ p_data: { code: "no spaces", name: "X" } }),
    },
  },
  "public.customer_update": {
    args: async (fx) => ({ p_id: await fx.customer(), p_patch: { phone: "010-0000-0000" } }),
    bad: {
      "an oversized address": () => ({ p_id: CUSTOMERS.acme, p_patch: { address: long(501) } }),
      "an oversized email": () => ({ p_id: CUSTOMERS.acme, p_patch: { email: `${long(250)}@x.test` } }),
    },
  },
  "public.engines_list": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.engine_get": { args: () => ({ p_id: ENGINE }) },
  "public.engine_create": {
    args: () => ({ p_data: { code: unique("E"), name_ko: "Probe" } }),
    bad: {
      "an oversized description": () => ({ p_data: { code: unique("E"), name_ko: "X", description: long(2001) } }),
      "oversized names": () => ({ p_data: { code: unique("E"), name_ko: "X", name_en: long(201) } }),
    },
  },
  "public.engine_update": {
    args: () => ({ p_id: ENGINE, p_patch: { description: "Probe description" } }),
    bad: { "an oversized description": () => ({ p_id: ENGINE, p_patch: { description: long(2001) } }) },
  },
  "public.locations_list": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.location_get": { args: () => ({ p_id: LOCATION.kr }) },
  "public.location_create": {
    args: () => ({ p_data: { code: unique("L"), name: "Probe warehouse", country: "KR" } }),
    bad: { "an unknown country": () => ({ p_data: { code: unique("L"), name: "X", country: "JP" } }), "an oversized name": () => ({ p_data: { code: unique("L"), name: long(201), country: "KR" } }) },
  },
  "public.location_update": {
    args: () => ({ p_id: LOCATION.cn, p_patch: { active: true } }),
    bad: { "an oversized name": () => ({ p_id: LOCATION.cn, p_patch: { name: long(201) } }) },
  },
  "public.items_list": { args: () => page, bad: { "an overlong search": () => overLongSearch, "an oversized page": () => oversizedPage } },
  "public.item_get": { args: async (fx) => ({ p_id: await fx.item(CUSTOMERS.acme) }) },
  "public.item_create": {
    args: () => ({ p_data: { sku: unique("S"), name_ko: "Probe" } }),
    bad: {
      "oversized names": () => ({ p_data: { sku: unique("S"), name_ko: "X", name_en: long(201) } }),
      "a reorder point over a billion": () => ({ p_data: { sku: unique("S"), name_ko: "X", reorder_point: 2e9 } }),
      "an unknown unit": () => ({ p_data: { sku: unique("S"), name_ko: "X", unit: "XX" } }),
    },
  },
  "public.item_update": {
    args: async (fx) => ({ p_id: await fx.item(), p_patch: { name_en: "Probe" } }),
    bad: { "an oversized name": async (fx) => ({ p_id: await fx.item(), p_patch: { name_zh: long(201) } }) },
  },
  "public.item_delete": { args: async (fx) => ({ p_id: await fx.item() }) },

  // ----- flows and stock -----
  "public.flows_list": { args: () => page, bad: { "an overlong search": () => overLongSearch, "an oversized page": () => oversizedPage } },
  "public.flow_get": { args: async (fx) => ({ p_id: await fx.flow("draft") }) },
  "public.flow_counts": { args: async (fx) => ({ p_flow_id: await fx.flow("draft") }) },
  "public.flow_create": {
    args: async (fx) => ({ p_kind: "inbound", p_to_location_id: LOCATION.kr, p_lines: [{ item_id: await fx.item(), qty: 1 }] }),
    bad: {
      "a quantity over a billion": async (fx) => ({ p_kind: "inbound", p_to_location_id: LOCATION.kr, p_lines: [{ item_id: await fx.item(), qty: 2e9 }] }),
      "more than 500 lines": async (fx) => {
        const itemId = await fx.item();
        return { p_kind: "inbound", p_to_location_id: LOCATION.kr, p_lines: Array.from({ length: 501 }, () => ({ item_id: itemId, qty: 1 })) };
      },
      "an oversized note": async (fx) => ({ p_kind: "inbound", p_to_location_id: LOCATION.kr, p_lines: [{ item_id: await fx.item(), qty: 1 }], p_note: long(2001) }),
      "an unknown kind": () => ({ p_kind: "gift", p_lines: [] }),
    },
  },
  "public.flow_update": {
    args: async (fx) => ({ p_id: await fx.flow("draft"), p_patch: { note: "Probe" } }),
    bad: { "an oversized note": async (fx) => ({ p_id: await fx.flow("draft"), p_patch: { note: long(2001) } }) },
  },
  "public.flow_submit": { args: async (fx) => ({ p_id: await fx.flow("draft") }) },
  "public.flow_approve": {
    args: async (fx) => ({ p_id: await fx.flow("submitted") }),
    bad: { "a draft": async (fx) => ({ p_id: await fx.flow("draft") }) },
  },
  "public.flow_commit": {
    args: async (fx) => ({ p_id: await fx.flow("approved") }),
    bad: { "a flow not yet approved": async (fx) => ({ p_id: await fx.flow("submitted") }) },
  },
  "public.flow_cancel": {
    args: async (fx) => ({ p_id: await fx.flow("draft") }),
    bad: { "an oversized reason": async (fx) => ({ p_id: await fx.flow("draft"), p_reason: long(501) }) },
  },
  "public.flow_reverse": {
    args: async (fx) => ({ p_id: await fx.flow("committed") }),
    bad: { "a flow not committed": async (fx) => ({ p_id: await fx.flow("draft") }), "an oversized note": async (fx) => ({ p_id: await fx.flow("committed"), p_note: long(2001) }) },
  },
  "public.stocks_list": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.ledger_list": { args: () => ({ p_limit: 10 }), bad: { "an oversized page": () => ({ p_limit: 1000 }) } },
  "public.dashboard_kpis": { args: () => ({}) },
  "public.dashboard_trend": { args: () => ({ p_days: 30 }), bad: { "ten thousand days": () => ({ p_days: 10000 }) } },
  "public.dashboard_top_movers": { args: () => ({ p_days: 30, p_limit: 10 }), bad: { "an oversized limit": () => ({ p_days: 30, p_limit: 1000 }) } },
  "public.dashboard_stock_breakdown": { args: () => ({}) },
  "public.dashboard_recent_activity": { args: () => ({ p_limit: 10 }), bad: { "an oversized limit": () => ({ p_limit: 1000 }) } },
  "public.email_preferences_get": { args: () => ({}) },
  "public.email_preferences_update": {
    args: () => ({ p_patch: {} }),
    bad: { "a kind not sent to the caller": () => ({ p_patch: { thread_message: false } }), "not a boolean": () => ({ p_patch: { approval_digest: "no" } }) },
  },
  "public.notifications_list": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.notifications_mark_read": {
    args: () => ({ p_ids: [] }),
    bad: { "more than 500 ids": () => ({ p_ids: Array.from({ length: 501 }, () => crypto.randomUUID()) }), "not a list": () => ({ p_ids: { a: 1 } }) },
  },

  // ----- inspections, messages, portal -----
  "public.inspections_list": {
    args: () => page,
    other: () => ({ ...page, p_customer_id: CUSTOMERS.bluesky }),
    bad: { "an overlong search": () => overLongSearch, "an oversized page": () => oversizedPage },
  },
  "public.inspection_get": { args: async (fx, who) => ({ p_id: await ownInspection(fx, who) }), other: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.bluesky) }) },
  "public.inspection_create": {
    args: (_fx, who) => ({ p_data: inspectionData({ customer_id: companyOf(who) }) }),
    other: () => ({ p_data: inspectionData({ customer_id: CUSTOMERS.bluesky }) }),
    bad: {
      "a quantity over a billion": () => ({ p_data: inspectionData({ customer_id: CUSTOMERS.acme, quantity: 2e9 }) }),
      "oversized notes": () => ({ p_data: inspectionData({ customer_id: CUSTOMERS.acme, notes: long(4001) }) }),
      "a blank product": () => ({ p_data: inspectionData({ customer_id: CUSTOMERS.acme, product: "  " }) }),
      "an unknown type": () => ({ p_data: inspectionData({ customer_id: CUSTOMERS.acme, inspection_type: "vibes" }) }),
    },
  },
  "public.inspection_schedule": {
    args: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme), p_scheduled_date: "2027-03-02", p_inspector_id: USERS.korean.id }),
    bad: {
      "a customer as the inspector": async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme), p_scheduled_date: "2027-03-02", p_inspector_id: USERS.acme.id }),
    },
  },
  "public.inspection_start": { args: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme, "scheduled") }), bad: { "an unscheduled one": async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme) }) } },
  "public.inspection_report": { args: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme, "in_progress"), p_result: "pass" }) },
  "public.inspection_complete": {
    args: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme, "report_ready"), p_result: "pass" }),
    bad: { "an unknown result": async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme, "report_ready"), p_result: "maybe" }) },
  },
  "public.inspection_cancel": {
    args: async (fx, who) => ({ p_id: await ownInspection(fx, who) }),
    other: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.bluesky) }),
    bad: { "an oversized reason": async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme), p_reason: long(501) }) },
  },
  "public.inspection_set_internal_notes": {
    args: async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme), p_internal_notes: "Probe" }),
    bad: { "oversized notes": async (fx) => ({ p_id: await fx.inspection(CUSTOMERS.acme), p_internal_notes: long(4001) }) },
  },
  "public.messages_list": {
    args: async (fx, who) => ({ p_inspection_id: await ownInspection(fx, who) }),
    other: async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.bluesky) }),
    bad: { "an oversized limit": async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.acme), p_limit: 1000 }) },
  },
  "public.message_send": {
    args: async (fx, who) => ({ p_inspection_id: await ownInspection(fx, who), p_body: "Probe message" }),
    other: async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.bluesky), p_body: "Probe message" }),
    bad: {
      "an oversized body": async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.acme), p_body: long(4001) }),
      "a blank body": async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.acme), p_body: "   " }),
    },
  },
  "public.messages_mark_read": {
    args: async (fx, who) => ({ p_inspection_id: await ownInspection(fx, who) }),
    other: async (fx) => ({ p_inspection_id: await fx.inspection(CUSTOMERS.bluesky) }),
  },
  "public.messages_unread": { args: () => ({}) },
  "public.portal_shipments": { args: () => page, bad: { "an oversized page": () => oversizedPage } },
  "public.portal_shipment_get": { args: async (fx, who) => ({ p_id: await fx.shipment(companyOf(who)) }), other: async (fx) => ({ p_id: await fx.shipment(CUSTOMERS.bluesky) }) },
  "public.portal_stock": { args: () => page, bad: { "an overlong search": () => ({ ...page, p_q: long(101) }), "an oversized page": () => oversizedPage } },
  // ----- imports -----
  "public.import_get": { args: async (fx, who) => ({ p_id: await fx.importOf(who) }) },
  "public.import_rows_list": {
    args: async (fx, who) => ({ p_id: await fx.importOf(who) }),
    bad: { "an unknown status": async (fx) => ({ p_id: await fx.importOf("admin"), p_status: "virus" }) },
  },
  "public.import_set_mapping": {
    args: async (fx, who) => ({ p_id: await fx.importOf(who), p_mapping: IMPORT_MAPPING }),
  },
  "public.import_validate": { args: async (fx, who) => ({ p_id: await fx.importOf(who) }) },
  "public.import_apply": { args: async (fx, who) => ({ p_id: await fx.importOf(who, true) }) },
  "public.import_count_sheet": {
    args: () => ({ p_location_id: LOCATION.kr, p_limit: 10 }),
    bad: { "an unknown warehouse": () => ({ p_location_id: "10000000-0000-4000-8000-0000000000ff", p_limit: 10 }) },
  },
  "public.import_mapping_get": { args: () => ({ p_kind: "inbound" }) },
  // ----- exports -----
  "public.items_export": exportProbe(true),
  "public.stocks_export": exportProbe(false),
  "public.ledger_export": exportProbe(false),
  "public.ledger_export_text": {
    args: () => ({ ...batch, p_format: "csv" }),
    bad: {
      "an oversized batch": () => ({ ...oversizedBatch, p_format: "xlsx" }),
      "an unknown format": () => ({ ...batch, p_format: "pdf" }),
      "a row before the first data row": () => ({ ...batch, p_format: "xlsx", p_row: 1 }),
    },
  },
  "public.flows_export": exportProbe(true),
  "public.customers_export": exportProbe(true),
  "public.users_export": exportProbe(true),
  "public.audit_export": exportProbe(false),
  "public.inspections_export": { ...exportProbe(true), other: () => ({ ...batch, p_customer_id: CUSTOMERS.bluesky }) },
  "public.portal_stock_export": exportProbe(true),
  "public.portal_shipments_export": exportProbe(false),
  "public.attachments_export": {
    args: (_fx: Fixtures, who: DemoUser) => ({ ...batch, p_customer_id: companyOf(who) }),
    other: () => ({ ...batch, p_customer_id: CUSTOMERS.bluesky }),
    bad: { "an oversized batch": () => oversizedBatch, "an unknown kind": () => ({ ...batch, p_kind: "virus" }) },
  },

  // ----- attachments -----
  "public.attachment_prepare": {
    args: (_fx, who) => ({ p_kind: "document", p_customer_id: companyOf(who) }),
    other: () => ({ p_kind: "document", p_customer_id: CUSTOMERS.bluesky }),
    bad: { "an unknown kind": () => ({ p_kind: "virus", p_customer_id: CUSTOMERS.acme }), "no target": () => ({ p_kind: "document" }) },
  },
  "public.attachments_list": {
    args: (_fx, who) => ({ ...page, p_customer_id: companyOf(who) }),
    other: () => ({ ...page, p_customer_id: CUSTOMERS.bluesky }),
    bad: { "an oversized page": () => oversizedPage, "an unknown kind": () => ({ ...page, p_kind: "virus" }) },
  },
  "public.attachment_get": { args: async (fx, who) => ({ p_id: await fx.attachment(companyOf(who)) }), other: async (fx) => ({ p_id: await fx.attachment(CUSTOMERS.bluesky) }) },
  "public.attachment_delete": { args: async (fx) => ({ p_id: await fx.attachment(CUSTOMERS.acme) }) },
  "public.attachment_upload_begin": {
    args: (_fx, who) => begin({ p_customer_id: companyOf(who) }),
    other: () => begin({ p_customer_id: CUSTOMERS.bluesky }),
    bad: {
      "a file over 20 MB": () => begin({ p_size_bytes: 21 * 1024 * 1024 }),
      "an empty file": () => begin({ p_size_bytes: 0 }),
      "a name over 255 characters": () => begin({ p_file_name: `${long(256)}.pdf` }),
      "a path in the name": () => begin({ p_file_name: "../../etc/passwd" }),
      "a type not accepted": () => begin({ p_content_type: "text/html" }),
      "another company's inspection under this company": async (fx) => begin({ p_inspection_id: await fx.inspection(CUSTOMERS.bluesky) }),
    },
  },
  "public.attachment_upload_get": { args: (fx, who) => fx.upload(who).then((id) => ({ p_id: id })), other: (fx) => fx.upload("bluesky").then((id) => ({ p_id: id })) },
  // ----- machine translation -----
  "public.translation_source": {
    args: async (fx, who) => ({ p_type: "message", p_id: await messageOf(fx, companyOf(who)) }),
    other: async (fx) => ({ p_type: "message", p_id: await messageOf(fx, CUSTOMERS.bluesky) }),
    bad: {
      "an unknown type": async (fx) => ({ p_type: "invoice", p_id: await messageOf(fx, CUSTOMERS.acme) }),
      "an unknown record": () => ({ p_type: "message", p_id: "00000000-0000-4000-8000-00000000dead" }),
      "a field the type does not have": async (fx) => ({ p_type: "message", p_id: await messageOf(fx, CUSTOMERS.acme), p_field: "internal_notes" }),
      "an unknown target": async (fx) => ({ p_type: "message", p_id: await messageOf(fx, CUSTOMERS.acme), p_target: "fr" }),
    },
  },
  "public.translation_cached": {
    args: () => ({ p_hash: "a".repeat(64), p_source_lang: "ko", p_target_lang: "en" }),
    bad: { "an unknown language": () => ({ p_hash: "a".repeat(64), p_source_lang: "fr", p_target_lang: "en" }) },
  },
  "public.translation_settings_get": { args: () => ({}) },
  "public.translation_settings_set": {
    args: () => ({ p_auto_translate: true }),
    bad: { "no value": () => ({ p_auto_translate: null }) },
  },
  "public.glossary_list": { args: () => ({}) },
  "public.glossary_save": {
    args: () => ({ p_id: null, p_ko: unique("용어"), p_zh: "探针", p_en: "probe" }),
    bad: {
      "one language only": () => ({ p_id: null, p_ko: "용어", p_zh: null, p_en: null }),
      "a term over 200 characters": () => ({ p_id: null, p_ko: long(201), p_zh: "探针", p_en: "probe" }),
      "an unknown term": () => ({ p_id: "00000000-0000-4000-8000-00000000dead", p_ko: "용어", p_zh: "探针", p_en: "probe" }),
    },
  },
  "public.glossary_delete": {
    args: async (fx) => ({ p_id: await fx.term() }),
    bad: { "an unknown term": () => ({ p_id: "00000000-0000-4000-8000-00000000dead" }) },
  },
  "public.translation_usage_report": {
    args: () => ({ p_days: 30 }),
    bad: { "no days": () => ({ p_days: 0 }), "over a year": () => ({ p_days: 367 }) },
  },
};
