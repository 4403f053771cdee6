import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth";
import { can } from "@/lib/auth/permissions";
import { call, callWrite, defineFunction, service, type Idempotency } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { attachmentKind, attachmentSchema, type Attachment, type AttachmentListQuery, type AttachmentUploadFields } from "@/lib/schemas/attachments";
import { checkFile, cleanFileName, type FileRefusal } from "@/lib/storage/file-type";
import { getStorage, type StoredObject } from "@/lib/storage";
import { actorArg, forActor, pageOf } from "./results";

// Attachments: files stored through the storage port, their metadata in public.attachments.
// Every operation asks the database first (as the user's own session, so its checks and RLS
// decide what exists for this user) and only then touches the bytes. Uploads: prepare (all
// checks, nothing written) → content checks → store the bytes → register the row (with the
// service role, for the actor: registering trusts the server's content check); a failure
// after the bytes are stored removes them again.

export const attachmentRow = attachmentSchema.extend({ storage_path: z.string() });
type AttachmentRow = z.infer<typeof attachmentRow>;

const target = {
  p_kind: attachmentKind,
  p_customer_id: z.uuid().optional(),
  p_inspection_id: z.uuid().optional(),
  p_internal: z.boolean().optional(),
};

export const fnAttachmentPrepare = defineFunction(
  "attachment_prepare",
  z.object({ ...target, ...actorArg }),
  z.object({ customer_id: z.uuid(), inspection_id: z.uuid().nullable(), storage_path: z.string() }),
);
export const fnAttachmentRegister = defineFunction(
  "attachment_register",
  z.object({
    p_storage_path: z.string(),
    p_file_name: z.string(),
    p_content_type: z.string(),
    p_size_bytes: z.number().int(),
    p_sha256: z.string(),
    ...target,
    ...actorArg,
  }),
  attachmentRow,
);
export const fnAttachmentsList = defineFunction(
  "attachments_list",
  z.object({
    p_inspection_id: z.uuid().optional(),
    p_customer_id: z.uuid().optional(),
    p_kind: attachmentKind.optional(),
    p_page: z.number().int(),
    p_limit: z.number().int(),
    ...actorArg,
  }),
  pageOf(attachmentRow),
);
export const fnAttachmentGet = defineFunction("attachment_get", z.object({ p_id: z.uuid(), ...actorArg }), attachmentRow);
export const fnAttachmentDelete = defineFunction("attachment_delete", z.object({ p_id: z.uuid(), ...actorArg }), attachmentRow);

/** The API's view of a row: everything but where the bytes are. */
export function publicView(row: AttachmentRow): Attachment {
  const { storage_path: _path, ...rest } = row; // eslint-disable-line @typescript-eslint/no-unused-vars -- dropped on purpose
  return rest;
}

export function refused(message: string, reason?: FileRefusal): AppError {
  return new AppError("validation_failed", message, [{ path: "file", message, ...(reason ? { reason } : {}) }]);
}

export type Upload = { fields: AttachmentUploadFields; file: { name: string; type: string; bytes: Uint8Array } | undefined };

/** Checks, stores and registers an uploaded file; returns its metadata. */
export async function uploadAttachment(actor: Actor, upload: Upload, idempotency?: Idempotency): Promise<Attachment> {
  const { fields, file } = upload;
  if (!file) throw refused("Choose a file to upload");
  const args = { p_kind: fields.kind, p_customer_id: fields.customer_id, p_inspection_id: fields.inspection_id, p_internal: fields.internal };
  const place = await call(fnAttachmentPrepare, args, actor.caller);

  const fileName = cleanFileName(file.name);
  if (!fileName) throw refused("The file needs a name");
  const checked = await checkFile({ bytes: file.bytes, fileName, declaredType: file.type });
  if (!checked.ok) throw refused(checked.message, checked.reason);

  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  if (idempotency) {
    // The route's own hash covers no body (multipart is not JSON): the same key with another file
    // or other fields must be refused, so hash what was actually sent.
    idempotency.hash = createHash("sha256")
      .update(JSON.stringify(["POST /api/v1/attachments", args, fileName, checked.mime, sha256]))
      .digest("hex");
  }

  const storage = await getStorage();
  await storage.put(place.storage_path, file.bytes, checked.mime);
  let row: AttachmentRow;
  try {
    row = await callWrite(
      fnAttachmentRegister,
      {
        ...args,
        p_customer_id: place.customer_id,
        p_storage_path: place.storage_path,
        p_file_name: fileName,
        p_content_type: checked.mime,
        p_size_bytes: file.bytes.length,
        p_sha256: sha256,
        // Service role only: it records bytes the server has just checked (docs/security.md).
        ...forActor(actor),
      },
      service,
      idempotency,
    );
  } catch (error) {
    await removeQuietly(place.storage_path);
    throw error;
  }
  // A replay answers with the first upload's row: the bytes stored just now are not needed.
  if (row.storage_path !== place.storage_path) await removeQuietly(place.storage_path);
  return publicView(row);
}

export async function removeQuietly(storagePath: string): Promise<void> {
  try {
    await (await getStorage()).remove(storagePath);
  } catch (error) {
    // An orphaned file is harmless (nothing points at it); say so in the logs.
    log.error("attachments.remove_failed", { storagePath, error: error instanceof Error ? error.message : String(error) });
  }
}

export async function listAttachments(actor: Actor, q: AttachmentListQuery) {
  const res = await call(
    fnAttachmentsList,
    { p_inspection_id: q.inspection_id, p_customer_id: q.customer_id, p_kind: q.kind, p_page: q.page, p_limit: q.limit },
    actor.caller,
  );
  return { ...res, data: res.data.map(publicView) };
}

export async function getAttachment(actor: Actor, id: string): Promise<Attachment> {
  return publicView(await call(fnAttachmentGet, { p_id: id }, actor.caller));
}

/** The metadata and the bytes of an attachment the user may read. */
export async function openAttachment(actor: Actor, id: string): Promise<{ attachment: Attachment; object: StoredObject }> {
  const row = await call(fnAttachmentGet, { p_id: id }, actor.caller);
  const object = await (await getStorage()).get(row.storage_path);
  if (!object) {
    log.error("attachments.missing_object", { id: row.id, storagePath: row.storage_path });
    throw new AppError("not_found", "The file is no longer stored");
  }
  return { attachment: publicView(row), object };
}

/** Deletes the metadata (the database decides: not_found before forbidden), then the bytes. */
export async function deleteAttachment(actor: Actor, id: string, idempotency?: Idempotency): Promise<Attachment> {
  if (!can(actor.role, "records:delete")) {
    // What the user cannot read does not exist for them (404); what they can read, they may not delete.
    await getAttachment(actor, id);
    throw new AppError("forbidden", "You are not allowed to delete files");
  }
  const row = await callWrite(fnAttachmentDelete, { p_id: id }, actor.caller, idempotency);
  if (!idempotency?.replayed) await removeQuietly(row.storage_path);
  return publicView(row);
}
