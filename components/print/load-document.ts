import "server-only";
import { cache } from "react";
import { loadFlow } from "@/components/flows/load-flow";
import { orNotFound } from "@/lib/auth/page";
import type { Actor } from "@/lib/auth";
import { getFlowCounts } from "@/lib/data/flows";
import { getItem } from "@/lib/data/items";
import { getMyShipment } from "@/lib/data/portal";
import { countedQuantities, type PrintDoc, type PrintLine } from "./document";

// The printed document of a flow, read as the caller: staff through flow_get (and each item's
// unit cost through item_get), a customer through portal_shipment_get, which answers only for
// their own company's shipments. Not found (or not theirs) is the not-found page.

const place = (l: { code: string; name: string } | null) => (l ? { code: l.code, name: l.name } : null);

// cache(): the page's title and body read the document once per request.

/** Staff: any flow, with the note, unit costs and values. */
export const loadStaffDocument = cache(async (actor: Actor, id: string): Promise<PrintDoc> => {
  const flow = await loadFlow(actor, id);
  const itemIds = [...new Set(flow.lines.map((l) => l.item_id))];
  const [items, counts] = await Promise.all([
    Promise.all(itemIds.map((itemId) => getItem(actor.caller, itemId))),
    // A stocktake's adjustment: what was counted against the books, per item.
    flow.kind === "adjustment" ? getFlowCounts(actor.caller, flow.id) : Promise.resolve([]),
  ]);
  const costs = new Map(items.map((i) => [i.id, i.unit_cost]));
  const countOf = new Map(counts.map((c) => [c.item_id, c]));
  const lines = flow.lines.map((l): PrintLine => {
    const unitCost = costs.get(l.item_id) ?? 0;
    const counted = flow.kind === "adjustment" ? countedQuantities(countOf.get(l.item_id) ?? l) : null;
    return {
      lineNo: l.line_no,
      sku: l.sku,
      name_ko: l.name_ko,
      name_zh: l.name_zh,
      name_en: l.name_en,
      unit: l.unit,
      qty: l.qty,
      ...(counted ?? {}),
      unitCost,
      value: l.qty * unitCost,
    };
  });
  const committedAt = typeof flow.committed_at === "string" ? flow.committed_at : null;
  return {
    audience: "staff",
    kind: flow.kind,
    number: flow.number,
    status: flow.status,
    createdAt: flow.created_at,
    committedAt,
    from: place(flow.from_location),
    to: place(flow.to_location),
    customer: place(flow.customer),
    partner: flow.partner,
    reference: flow.reference,
    note: flow.note,
    lines,
    backHref: `/flows/${flow.id}`,
  };
});

/** A customer: one of their own shipments, as the portal shows it (no costs, no notes). */
export const loadCustomerDocument = cache(async (actor: Actor, id: string): Promise<PrintDoc> => {
  const s = await orNotFound(id, () => getMyShipment(actor.caller, id));
  return {
    audience: "customer",
    kind: "outbound",
    number: s.number,
    status: s.status,
    createdAt: s.created_at,
    committedAt: s.committed_at,
    from: place(s.from_location),
    to: null,
    customer: null,
    partner: null,
    reference: s.reference,
    note: null,
    lines: s.lines.map((l) => ({ lineNo: l.line_no, sku: l.sku, name_ko: l.name_ko, name_zh: l.name_zh, name_en: l.name_en, unit: l.unit, qty: l.qty })),
    backHref: `/portal/shipments/${s.id}`,
  };
});
