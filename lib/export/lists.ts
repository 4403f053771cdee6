import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/auth";
import { changesText, type AuditSource } from "@/lib/audit/describe";
import { auditDescriber } from "@/lib/audit/words";
import { isStaff } from "@/lib/auth/permissions";
import { exportBatches, ledgerCopyQuery, ledgerTextBatches, type ExportFilters, type ExportFunctionName } from "@/lib/data/exports";
import { loadMessages } from "@/lib/i18n/messages";
import type { AttachmentListQuery } from "@/lib/schemas/attachments";
import type { CustomerListQuery } from "@/lib/schemas/customers";
import type { FlowKind, flowListQuery, ledgerQuery, stockListQuery } from "@/lib/schemas/flows";
import type { InspectionListQuery } from "@/lib/schemas/inspections";
import type { itemListQuery } from "@/lib/schemas/inventory";
import type { portalShipmentsQuery, portalStockQuery } from "@/lib/schemas/portal";
import { auditRange, type AuditListQuery, type UserListQuery } from "@/lib/schemas/users";
import { COLUMNS, STAFF_INSPECTION_COLUMNS } from "./columns";
import type { ExportSpec } from "./spec";

// Each list route's export: its columns and how its query maps onto the export function's
// filters (the same filters and sort its list function takes).

/**
 * Rows a call: each call is short and a batch small in memory. Measured on the 1M-row ledger
 * (CSV, Postgres): 5,000-row batches peaked 88 MB above the start for 300k rows, 2,000 61 MB,
 * in the same time; the garbage of bigger batches lives long enough to reach the old generation.
 */
const BATCH = 2000;

function spec<Q, N extends ExportFunctionName>(
  list: string,
  columns: ExportSpec<Q>["columns"],
  fn: N,
  filters: (q: Q, actor: Actor) => ExportFilters<N>,
): ExportSpec<Q> {
  return { list, columns, rows: (actor, q) => exportBatches(actor.caller, fn, filters(q, actor), BATCH) };
}

export const itemsExport = spec<z.output<typeof itemListQuery>, "items">("items", COLUMNS.items, "items", (q) => ({
  p_q: q.q,
  p_engine_id: q.engine_id,
  p_active: q.active,
  p_customer_id: q.customer_id,
  p_sort: q.sort,
}));

export const stocksExport = spec<z.output<typeof stockListQuery>, "stocks">("stocks", COLUMNS.stocks, "stocks", (q) => ({
  p_item_id: q.item_id,
  p_location_id: q.location_id,
  p_engine_id: q.engine_id,
  p_low: q.low,
  p_q: q.q,
}));

/**
 * Rows a call when the database writes the text: a call's fixed cost spread over more rows, and
 * still about a megabyte of CSV (four of worksheet XML) a batch.
 */
const TEXT_BATCH = 10000;

const ledgerFilters = (q: z.output<typeof ledgerQuery>) => ({ p_item_id: q.item_id, p_location_id: q.location_id, p_from: q.from, p_to: q.to });

/**
 * The whole ledger for the filters (the list's ?before= page cursor does not apply), written as
 * file text by the database: it reaches millions of rows.
 */
export const ledgerExport: ExportSpec<z.output<typeof ledgerQuery>> = {
  ...spec<z.output<typeof ledgerQuery>, "ledger">("ledger", COLUMNS.ledger, "ledger", (q) => ({
    p_item_id: q.item_id,
    p_location_id: q.location_id,
    p_from: q.from,
    p_to: q.to,
  })),
  text: (actor, q, format, labels) => ledgerTextBatches(actor.caller, ledgerFilters(q), format, labels("flows.kinds"), TEXT_BATCH),
  copy: (_actor, q, labels, format) => ledgerCopyQuery(ledgerFilters(q), labels("flows.kinds"), format === "csv"),
};

/** Flows of one kind (file inbounds-…) or of every kind (flows-…). */
export function flowsExport(kind?: FlowKind) {
  return spec<Omit<z.output<typeof flowListQuery>, "kind"> & { kind?: FlowKind }, "flows">(kind ? `${kind}s` : "flows", COLUMNS.flows, "flows", (q) => ({
    p_kind: kind ?? q.kind,
    p_status: q.status,
    p_q: q.q,
    p_from: q.from,
    p_to: q.to,
    p_customer_id: q.customer_id,
  }));
}

export const customersExport = spec<CustomerListQuery, "customers">("customers", COLUMNS.customers, "customers", (q) => ({ p_q: q.q, p_active: q.active }));

export const usersExport = spec<UserListQuery, "users">("users", COLUMNS.users, "users", (q) => ({ p_q: q.q, p_role: q.role, p_active: q.active }));

/** The audit log with the page's words: each raw row described in the caller's language. */
export const auditExport: ExportSpec<AuditListQuery> = {
  list: "audit",
  columns: COLUMNS.audit,
  async *rows(actor, q) {
    const range = auditRange(q.from, q.to);
    const filters = { p_actor_id: q.actor_id, p_table: q.table, p_action: q.action, p_from: range.from, p_to: range.to, p_security_only: q.security };
    const [describe, empty] = await Promise.all([auditDescriber(actor.locale), emptyValueWord(actor.locale)]);
    for await (const batch of exportBatches(actor.caller, "audit", filters, BATCH)) {
      yield batch.map((row) => {
        const v = describe(row as AuditSource);
        return {
          audit_time: v.at,
          audit_actor: v.actor,
          audit_actor_email: v.actorEmail ?? (row.actor_email as string | null),
          audit_event: v.eventText,
          audit_record_type: v.recordType,
          audit_record: v.record,
          audit_changes: changesText(v.changes, empty),
          security_event: v.security,
        };
      });
    }
  },
};

async function emptyValueWord(locale: Actor["locale"]): Promise<string> {
  const admin = (await loadMessages(locale)).admin as { audit: { emptyValue: string } };
  return admin.audit.emptyValue;
}

/** Staff and customers alike; only staff files carry the internal notes. */
export const inspectionsExport = spec<InspectionListQuery, "inspections">(
  "inspections",
  (actor) => (isStaff(actor.role) ? STAFF_INSPECTION_COLUMNS : COLUMNS.inspections),
  "inspections",
  (q) => ({ p_status: q.status, p_open: q.open, p_customer_id: q.customer_id, p_inspector_id: q.inspector_id, p_q: q.q }),
);

export const documentsExport = spec<AttachmentListQuery, "attachments">("documents", COLUMNS.documents, "attachments", (q) => ({
  p_inspection_id: q.inspection_id,
  p_customer_id: q.customer_id,
  p_kind: q.kind,
}));

export const portalStockExport = spec<z.output<typeof portalStockQuery>, "portalStock">("stock", COLUMNS.portalStock, "portalStock", (q) => ({ p_q: q.q }));

export const portalShipmentsExport = spec<z.output<typeof portalShipmentsQuery>, "portalShipments">(
  "shipments",
  COLUMNS.portalShipments,
  "portalShipments",
  (q) => ({ p_status: q.status }),
);
