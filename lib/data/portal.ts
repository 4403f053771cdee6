import { z } from "zod";
import { call, defineFunction, type Caller } from "@/lib/db";
import { actorArg, pageOf } from "./results";

// The customer portal's reads of their shipments (outbound flows, no drafts) and the stock of the
// items they own. Customer sessions only; the database runs them with the caller's rights, so
// RLS and column grants apply (no costs, no internal notes exist in these answers).

const shipmentLine = z.object({
  line_no: z.number().int(),
  item_id: z.uuid(),
  qty: z.number(),
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
});

export const shipment = z.object({
  id: z.uuid(),
  number: z.string(),
  status: z.enum(["submitted", "approved", "committed", "cancelled"]),
  reference: z.string().nullable(),
  from_location: z.object({ code: z.string(), name: z.string(), country: z.string() }).nullable(),
  created_at: z.string(),
  submitted_at: z.string().nullable(),
  approved_at: z.string().nullable(),
  committed_at: z.string().nullable(),
  cancelled_at: z.string().nullable(),
  updated_at: z.string(),
  lines: z.array(shipmentLine),
});
export type Shipment = z.infer<typeof shipment>;

export const portalStockRow = z.object({
  item_id: z.uuid(),
  sku: z.string(),
  name_ko: z.string(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  unit: z.string(),
  on_hand: z.number(),
  locations: z.array(z.object({ code: z.string(), name: z.string(), country: z.string(), on_hand: z.number() })),
});
export type PortalStockRow = z.infer<typeof portalStockRow>;

export const fnPortalShipments = defineFunction(
  "portal_shipments",
  z.object({ p_status: z.string().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  pageOf(shipment),
);
export const fnPortalShipmentGet = defineFunction("portal_shipment_get", z.object({ p_id: z.uuid(), ...actorArg }), shipment);
export const fnPortalStock = defineFunction(
  "portal_stock",
  z.object({ p_q: z.string().optional(), p_page: z.number().int(), p_limit: z.number().int(), ...actorArg }),
  pageOf(portalStockRow),
);

export function listMyShipments(as: Caller, q: { status?: string; page: number; limit: number }) {
  return call(fnPortalShipments, { p_status: q.status, p_page: q.page, p_limit: q.limit }, as);
}

export function getMyShipment(as: Caller, id: string) {
  return call(fnPortalShipmentGet, { p_id: id }, as);
}

export function listMyStock(as: Caller, q: { q?: string; page: number; limit: number }) {
  return call(fnPortalStock, { p_q: q.q, p_page: q.page, p_limit: q.limit }, as);
}
