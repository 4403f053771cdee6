import "@/lib/zod-setup";
import { z } from "zod";
import { boolQuery, idSchema, optionalText, pageQuery, searchQuery } from "./common";

// Inspection applications: request bodies and query strings, shared by the API, forms and tests.

import { INSPECTION_RESULTS, INSPECTION_STATUSES, INSPECTION_TYPES } from "./values";

export {
  INSPECTION_RESULTS,
  INSPECTION_STATUSES,
  INSPECTION_TYPES,
  OPEN_INSPECTION_STATUSES,
  type InspectionResult,
  type InspectionStatus,
  type InspectionType,
} from "./values";

/** A calendar day, YYYY-MM-DD, that exists. */
export const daySchema = z.iso.date({ message: "Use a date like 2026-12-31" });

export const inspectionCreateSchema = z.object({
  /** Staff choose the customer; a customer may leave it out (their own company is used). */
  customer_id: idSchema.optional(),
  product: z.string().trim().min(1, "Enter the product").max(200),
  quantity: z.number().finite().positive("Must be above zero").max(1_000_000_000).nullable().optional(),
  factory_name: z.string().trim().min(1, "Enter the factory").max(200),
  factory_address: optionalText(500),
  factory_contact: optionalText(200),
  inspection_type: z.enum(INSPECTION_TYPES),
  requested_date: daySchema,
  notes: optionalText(4000),
});
export type InspectionCreate = z.infer<typeof inspectionCreateSchema>;

/** PATCH /api/v1/inspections/:id — staff only: the internal notes (never shown to customers). */
export const inspectionPatchSchema = z.object({ internal_notes: z.string().trim().max(4000).nullable() });
export type InspectionPatch = z.infer<typeof inspectionPatchSchema>;

export const inspectionScheduleSchema = z.object({ scheduled_date: daySchema, inspector_id: idSchema });
export type InspectionSchedule = z.infer<typeof inspectionScheduleSchema>;

export const inspectionReportSchema = z.object({ result: z.enum(INSPECTION_RESULTS).optional() }).optional();
export const inspectionCompleteSchema = z.object({ result: z.enum(INSPECTION_RESULTS) });
export const inspectionCancelSchema = z.object({ reason: z.string().trim().max(500).optional() }).optional();

export const inspectionListQuery = z.object({
  ...pageQuery,
  status: z.enum(INSPECTION_STATUSES).optional(),
  open: boolQuery.optional(),
  customer_id: idSchema.optional(),
  inspector_id: idSchema.optional(),
  q: searchQuery.optional(),
});
export type InspectionListQuery = z.infer<typeof inspectionListQuery>;

export const INSPECTION_ACTIONS = ["schedule", "start", "report", "complete", "cancel"] as const;
export type InspectionAction = (typeof INSPECTION_ACTIONS)[number];
