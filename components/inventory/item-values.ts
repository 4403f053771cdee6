// The item form's values: strings as the inputs hold them (kept apart from the client form so
// server pages can build initial values).

export type ItemFormValues = {
  sku: string;
  name_ko: string;
  name_zh: string;
  name_en: string;
  unit: string;
  engine_id: string;
  reorder_point: string;
  unit_cost: string;
  barcode: string;
  active: boolean;
};

export const EMPTY_ITEM: ItemFormValues = {
  sku: "",
  name_ko: "",
  name_zh: "",
  name_en: "",
  unit: "EA",
  engine_id: "",
  reorder_point: "0",
  unit_cost: "0",
  barcode: "",
  active: true,
};

