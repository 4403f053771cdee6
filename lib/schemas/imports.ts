import "@/lib/zod-setup";
import { z } from "zod";
import { IMPORT_KINDS, ROW_STATUSES } from "@/lib/data/imports";
import { idSchema } from "./common";

// The imports API's inputs (app/api/v1/imports).

export const importKind = z.enum(IMPORT_KINDS);

/** POST /api/v1/imports: the form fields beside the file, or the JSON body naming a finished direct upload. */
export const importCreateFields = z.object({
  kind: importKind,
  location_id: idSchema.optional(),
  customer_id: idSchema.optional(),
  // An empty form field means the first sheet.
  sheet: z.string().trim().max(200).optional().transform((v) => v || undefined),
  // Chosen by the client to follow the progress (GET /api/v1/imports/:id) while the request runs.
  id: idSchema.optional(),
});
/** JSON: the token of a finished direct upload (with the file's name), or an attachment's id. */
export const importCreateFromUpload = importCreateFields
  .extend({
    upload: z.string().min(1).max(600).optional(),
    file_name: z.string().trim().min(1).max(255).optional(),
    attachment_id: idSchema.optional(),
  })
  .refine((v) => (v.upload ? 1 : 0) + (v.attachment_id ? 1 : 0) === 1, { message: "Name the upload (upload and file_name) or the attachment_id" })
  .refine((v) => !v.upload || v.file_name, { message: "Give the uploaded file's name", path: ["file_name"] });

export const importUploadBegin = z.object({
  file_name: z.string().trim().min(1).max(255),
  size: z.number().int().min(1),
});
export type ImportCreateFields = z.infer<typeof importCreateFields>;

export const importMappingPatch = z.object({
  mapping: z.record(z.string().max(40), z.number().int().min(0).max(1000).nullable()),
});

export const importRowsQuery = z.object({
  status: z.enum(ROW_STATUSES).optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const fileFormatQuery = z.object({
  format: z.enum(["xlsx"]).default("xlsx"),
  location_id: idSchema.optional(),
});
