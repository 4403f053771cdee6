import "@/lib/zod-setup";
import { z } from "zod";
import { atMostDecimals, boolQuery, code, idSchema, optionalText, pageQuery, searchQuery } from "./common";
import { COUNTRIES, UNITS } from "./values";

export { COUNTRIES, UNITS };

// ----- engines -------------------------------------------------------------------------------
export const engineCreateSchema = z.object({
  code,
  name_ko: z.string().trim().min(1).max(200),
  name_zh: optionalText(200),
  name_en: optionalText(200),
  description: optionalText(2000),
  active: z.boolean().optional(),
});
export const enginePatchSchema = engineCreateSchema.partial().refine((v) => Object.keys(v).length > 0, "Nothing to update");
export const engineListQuery = z.object({ ...pageQuery, active: boolQuery.optional() });

// ----- locations -----------------------------------------------------------------------------
export const locationCreateSchema = z.object({
  code,
  name: z.string().trim().min(1).max(200),
  country: z.enum(COUNTRIES),
  active: z.boolean().optional(),
});
export const locationPatchSchema = locationCreateSchema.partial().refine((v) => Object.keys(v).length > 0, "Nothing to update");
export const locationListQuery = z.object({ ...pageQuery, active: boolQuery.optional(), country: z.enum(COUNTRIES).optional() });

// ----- items ---------------------------------------------------------------------------------
const money = z.number().finite().min(0).max(999_999_999_999).refine(atMostDecimals(2), "At most 2 decimals");
const amount = z.number().finite().min(0).max(1_000_000_000).refine(atMostDecimals(3), "At most 3 decimals");

export const itemCreateSchema = z.object({
  sku: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, "1–64 letters, digits, . _ / -"),
  name_ko: z.string().trim().min(1).max(200),
  name_zh: optionalText(200),
  name_en: optionalText(200),
  unit: z.enum(UNITS).default("EA"),
  engine_id: idSchema.nullable().optional(),
  reorder_point: amount.default(0),
  unit_cost: money.default(0),
  customer_id: idSchema.nullable().optional(),
  barcode: z.string().trim().regex(/^[A-Za-z0-9-]{4,64}$/, "4–64 letters, digits or -").nullable().optional(),
  active: z.boolean().optional(),
});
export const itemPatchSchema = z
  .object({
    sku: itemCreateSchema.shape.sku,
    name_ko: itemCreateSchema.shape.name_ko,
    name_zh: optionalText(200),
    name_en: optionalText(200),
    unit: z.enum(UNITS),
    engine_id: idSchema.nullable(),
    reorder_point: amount,
    unit_cost: money,
    customer_id: idSchema.nullable(),
    barcode: itemCreateSchema.shape.barcode,
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");

export const ITEM_SORTS = ["sku", "-sku", "name", "-name", "unit_cost", "-unit_cost", "on_hand", "-on_hand", "created_at", "-created_at", "updated_at", "-updated_at"] as const;
export const itemListQuery = z.object({
  ...pageQuery,
  q: searchQuery.optional(),
  engine_id: idSchema.optional(),
  customer_id: idSchema.optional(),
  active: boolQuery.optional(),
  sort: z.enum(ITEM_SORTS).default("sku"),
});

export type ItemCreate = z.infer<typeof itemCreateSchema>;
export type ItemPatch = z.infer<typeof itemPatchSchema>;
