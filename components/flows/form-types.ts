import type { FlowKind } from "@/lib/schemas/flows";

// What the flow form works with: picked items (as /api/v1/items returns them) and the form's
// own text state, which becomes the API body only when it is validated or sent.

export type PickedItem = {
  id: string;
  sku: string;
  name_ko: string;
  name_zh: string | null;
  name_en: string | null;
  unit: string;
  barcode?: string | null;
  on_hand?: number | string;
  /** The customer who owns the goods (an outbound of them must name that customer). */
  customer_id?: string | null;
};

export type FormLine = { item: PickedItem; qty: string };

export type LocationOption = { id: string; code: string; name: string };
export type CustomerOption = { id: string; code: string; name: string };

export type FlowFormValues = {
  kind: FlowKind;
  locationId: string;
  fromId: string;
  toId: string;
  customerId: string;
  partner: string;
  reference: string;
  note: string;
  lines: FormLine[];
};

export const EMPTY_FORM: FlowFormValues = {
  kind: "outbound",
  locationId: "",
  fromId: "",
  toId: "",
  customerId: "",
  partner: "",
  reference: "",
  note: "",
  lines: [],
};
