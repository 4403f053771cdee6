import { READ_RECORDS, WRITE_RECORDS } from "@/lib/auth/permissions";
import { listAttachments, uploadAttachment } from "@/lib/data/attachments";
import { documentsExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { readMultipart } from "@/lib/http/multipart";
import { AppError } from "@/lib/errors";
import { attachmentListQuery, attachmentUploadFields } from "@/lib/schemas/attachments";
import { MAX_FILE_BYTES } from "@/lib/storage/file-type";

export const dynamic = "force-dynamic";

// Room for the multipart framing and the text fields around a file of the largest size.
const BODY_CAP = MAX_FILE_BYTES + 64 * 1024;

// GET /api/v1/attachments — files of an inspection or a customer (?inspection_id=&customer_id=&kind=&page=&limit=); customers: their own company's; ?format=xlsx|csv: a file
export const GET = handler({ permission: READ_RECORDS, query: attachmentListQuery, export: documentsExport }, async ({ actor, query }) => page(await listAttachments(actor, query)));

// POST /api/v1/attachments — upload a file (multipart: file, inspection_id or customer_id, kind[, internal]); at most 20 MB, PDF/JPEG/PNG/WebP/XLSX
export const POST = handler({ permission: WRITE_RECORDS }, async ({ req, actor, idempotency }) => {
  const { fields, files } = await readMultipart(req, BODY_CAP, "Files can be at most 20 MB");
  const parsed = attachmentUploadFields.safeParse(fields);
  if (!parsed.success) {
    throw new AppError(
      "validation_failed",
      "Some fields are missing or invalid",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return ok(await uploadAttachment(actor, { fields: parsed.data, file: files.file }, idempotency), 201);
});
