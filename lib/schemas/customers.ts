import "@/lib/zod-setup";
import { z } from "zod";
import { boolQuery, code, optionalText, pageQuery, searchQuery } from "./common";

// Customer companies (staff): request bodies and query strings, shared by the API, forms and tests.

export const customerCreateSchema = z.object({
  code,
  name: z.string().trim().min(1, "Name is required").max(200),
  business_number: optionalText(40),
  contact_name: optionalText(100),
  // Forms send "" for an empty field: that clears it rather than failing the email check.
  email: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    z.string().trim().max(254).pipe(z.email("Enter a valid email address")).nullable().optional(),
  ),
  phone: optionalText(40),
  address: optionalText(500),
  active: z.boolean().optional(),
});
export type CustomerCreate = z.infer<typeof customerCreateSchema>;

export const customerPatchSchema = customerCreateSchema.partial().refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type CustomerPatch = z.infer<typeof customerPatchSchema>;

export const customerListQuery = z.object({
  ...pageQuery,
  q: searchQuery.optional(),
  active: boolQuery.optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;
