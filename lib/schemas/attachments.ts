import "@/lib/zod-setup";
import { z } from "zod";
import { idSchema, pageQuery } from "./common";

// Attachments: the fields of an upload form (multipart), the list query, and a row as the API
// returns it (never the storage path).

export const ATTACHMENT_KINDS = ["report", "photo", "document"] as const;
export const attachmentKind = z.enum(ATTACHMENT_KINDS, { message: "Choose report, photo or document" });

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** The text fields of POST /api/v1/attachments (the file itself is the `file` part). */
export const attachmentUploadFields = z
  .object({
    inspection_id: z.preprocess(emptyToUndefined, idSchema.optional()),
    customer_id: z.preprocess(emptyToUndefined, idSchema.optional()),
    kind: z.preprocess(emptyToUndefined, attachmentKind.default("document")),
    internal: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).default("false")).transform((v) => v === "true"),
  })
  .refine((v) => v.inspection_id !== undefined || v.customer_id !== undefined, {
    message: "Give an inspection or a customer",
    path: ["inspection_id"],
  });
export type AttachmentUploadFields = z.output<typeof attachmentUploadFields>;

export const attachmentListQuery = z.object({
  inspection_id: idSchema.optional(),
  customer_id: idSchema.optional(),
  kind: attachmentKind.optional(),
  ...pageQuery,
});
export type AttachmentListQuery = z.output<typeof attachmentListQuery>;

export const attachmentSchema = z.object({
  id: z.uuid(),
  customer_id: z.uuid(),
  inspection_id: z.uuid().nullable(),
  kind: attachmentKind,
  file_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  internal: z.boolean(),
  uploaded_by: z.uuid().nullable(),
  uploaded_by_name: z.string().nullable(),
  created_at: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * POST /api/v1/attachments/uploads: the record and kind as a multipart upload takes them, and
 * what the file is said to be. The name, type and size are checked here (lib/storage/file-type
 * checkAnnounced) and again against the stored bytes when the upload completes.
 */
export const attachmentUploadBegin = z
  .object({
    inspection_id: idSchema.optional(),
    customer_id: idSchema.optional(),
    kind: attachmentKind.default("document"),
    internal: z.boolean().default(false),
    file_name: z.string({ message: "Give the file's name" }).min(1, "Give the file's name").max(1000),
    content_type: z.string().max(200).default(""),
    size: z.number({ message: "Give the file's size in bytes" }).int("Give the file's size in bytes").min(0),
  })
  .refine((v) => v.inspection_id !== undefined || v.customer_id !== undefined, {
    message: "Give an inspection or a customer",
    path: ["inspection_id"],
  });
export type AttachmentUploadBegin = z.output<typeof attachmentUploadBegin>;

/** What POST /api/v1/attachments/uploads answers: where to send the bytes, and how. */
export const directUploadSchema = z.object({
  token: z.string(),
  url: z.string(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  expires_at: z.string(),
});
export type DirectUpload = z.infer<typeof directUploadSchema>;

/** The path segment naming an upload: its token (checked by signature, not by shape here). */
export const uploadTokenParams = z.object({ token: z.string().min(1).max(600) });
