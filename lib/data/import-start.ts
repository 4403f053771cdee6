import "server-only";
import type { Actor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { parseImportFile } from "@/lib/imports/parse";
import type { ImportCreateFields } from "@/lib/schemas/imports";
import { openAttachment } from "./attachments";
import { takeImportUpload } from "./import-uploads";
import { mayImport, recordImport, rememberedMapping, validateImport, type ImportRecord } from "./imports";

// Starting an import: the file (a multipart field, or a finished direct upload, which was
// content-checked when it completed) is parsed and mapped here, recorded for the user, then
// validated by the database as the user.

export type ImportFile = { name: string; bytes: Uint8Array };

export async function startImport(actor: Actor, fields: ImportCreateFields, file: ImportFile): Promise<ImportRecord> {
  // Said before the file is read; the database checks the same again.
  if (!mayImport(actor.role, fields.kind)) throw new AppError("forbidden", "You are not allowed to do this");
  const remembered = await rememberedMapping(actor.caller, fields.kind);
  const parsed = await parseImportFile({ bytes: file.bytes, fileName: file.name, kind: fields.kind, sheet: fields.sheet, remembered });
  const record = await recordImport(
    actor.id,
    fields.kind,
    parsed,
    parsed.mapping,
    { location_id: fields.location_id, customer_id: fields.customer_id },
    fields.id,
  );
  return validateImport(actor.caller, record.id);
}

/**
 * An import of a finished direct upload: an import upload's token (POST /api/v1/imports/uploads),
 * or an attachment the user may read (GET /api/v1/attachments/:id's rules).
 */
export async function importFromUpload(
  actor: Actor,
  fields: ImportCreateFields & { upload?: string; file_name?: string; attachment_id?: string },
): Promise<ImportRecord> {
  if (!mayImport(actor.role, fields.kind)) throw new AppError("forbidden", "You are not allowed to do this");
  if (fields.upload) return startImport(actor, fields, await takeImportUpload(actor, fields.upload, fields.file_name ?? "import.xlsx"));
  if (!fields.attachment_id) throw new AppError("validation_failed", "Name the upload or the attachment_id");
  const { attachment, object } = await openAttachment(actor, fields.attachment_id);
  const bytes = new Uint8Array(await new Response(object.stream).arrayBuffer());
  return startImport(actor, fields, { name: attachment.file_name, bytes });
}
