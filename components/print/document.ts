import "@/lib/zod-setup";
import { z } from "zod";
import type { FlowKind } from "@/lib/schemas/flows";

// What a printed flow document holds, whoever reads it. The loaders (load-document.ts) fill it
// from the caller's own answers: a customer's document is built from the portal's shipment, which
// carries no costs and no internal notes, so there is nothing to leave out by mistake.

export type PrintPlace = { code: string; name: string };

export type PrintLine = {
  lineNo: number;
  sku: string;
  name_ko: string;
  name_zh: string | null;
  name_en: string | null;
  unit: string;
  qty: number;
  /** Stocktake lines: the book quantity and the counted one, when the flow's lines carry them. */
  expected?: number;
  counted?: number;
  /** Staff only: the item's unit cost (KRW) and qty × cost. */
  unitCost?: number;
  value?: number;
};

export type PrintDoc = {
  audience: "staff" | "customer";
  kind: FlowKind;
  number: string;
  status: string;
  createdAt: string;
  committedAt: string | null;
  from: PrintPlace | null;
  to: PrintPlace | null;
  customer: PrintPlace | null;
  partner: string | null;
  reference: string | null;
  /** Staff only (the flow's own note). */
  note: string | null;
  lines: PrintLine[];
  /** Where the toolbar's back link goes. */
  backHref: string;
};

/** Total quantity per unit (EA, SET, BOX …), in the order the units first appear. */
export function totalsByUnit(lines: readonly Pick<PrintLine, "qty" | "unit">[]): { unit: string; qty: number }[] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.unit, (totals.get(l.unit) ?? 0) + l.qty);
  // Sums of decimals (numeric(14,3) quantities) without binary float tails.
  return [...totals].map(([unit, qty]) => ({ unit, qty: Math.round(qty * 1000) / 1000 }));
}

/** The value total (KRW) of lines that carry values; null when none does (customers' documents). */
export function valueTotal(lines: readonly Pick<PrintLine, "value">[]): number | null {
  const values = lines.map((l) => l.value).filter((v): v is number => typeof v === "number");
  return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0));
}

// Stocktake imports may put the book and counted quantities on adjustment lines; the sheet shows
// them when every line has both, else the quantity change alone.
const countedLine = z.object({ expected_qty: z.number(), counted_qty: z.number() });

export function countedQuantities(line: unknown): { expected: number; counted: number } | null {
  const parsed = countedLine.safeParse(line);
  return parsed.success ? { expected: parsed.data.expected_qty, counted: parsed.data.counted_qty } : null;
}
