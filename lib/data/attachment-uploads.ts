import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth";
import { call, callWrite, defineFunction, service, type Idempotency } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { attachmentKind, type Attachment, type AttachmentUploadBegin, type DirectUpload } from "@/lib/schemas/attachments";
import { getStorage } from "@/lib/storage";
import { checkAnnounced, checkFile, cleanFileName, MAX_FILE_BYTES, type FileRefusal } from "@/lib/storage/file-type";
import type { LocalStorage } from "@/lib/storage/local";
import { signUploadToken, verifyUploadToken } from "@/lib/storage/upload-token";
import { readAtMost } from "@/lib/storage/read-at-most";
import { attachmentRow, publicView, refused, removeQuietly } from "./attachments";
import { actorArg, forActor } from "./results";

// Direct uploads (migration 20261130000300): the bytes go from the client straight to storage,
// never through a function's request body (Vercel caps those at 4.5 MB).
//   begin    — every check a multipart upload makes before its bytes (as the user), a pending
//              row, a signed token, and where to PUT the bytes: Supabase Storage's signed upload
//              URL, or this app's PUT /api/v1/attachments/uploads/:token in the local-folder modes.
//   receive  — (local folder only) that PUT: streams to disk, stops past the announced size.
//   complete — reads the stored object back, checks its real size and content; a refused object
//              is removed and the upload marked failed (nothing recorded), an accepted one is
//              registered for the user (service role and the actor's id: completing trusts
//              this check), exactly like a multipart upload, once.

const uploadRow = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  customer_id: z.uuid(),
  inspection_id: z.uuid().nullable(),
  kind: attachmentKind,
  internal: z.boolean(),
  file_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  storage_path: z.string(),
  status: z.enum(["pending", "completed", "failed"]),
  expires_at: z.string(),
});
type UploadRow = z.infer<typeof uploadRow>;

export const fnAttachmentUploadBegin = defineFunction(
  "attachment_upload_begin",
  z.object({
    p_kind: attachmentKind,
    p_file_name: z.string(),
    p_content_type: z.string(),
    p_size_bytes: z.number().int(),
    p_customer_id: z.uuid().optional(),
    p_inspection_id: z.uuid().optional(),
    p_internal: z.boolean().optional(),
    ...actorArg,
  }),
  uploadRow,
);
export const fnAttachmentUploadGet = defineFunction("attachment_upload_get", z.object({ p_id: z.uuid(), ...actorArg }), uploadRow);
export const fnAttachmentUploadFail = defineFunction("attachment_upload_fail", z.object({ p_id: z.uuid(), ...actorArg }), uploadRow);
export const fnAttachmentUploadComplete = defineFunction(
  "attachment_upload_complete",
  z.object({ p_id: z.uuid(), p_size_bytes: z.number().int(), p_content_type: z.string(), p_sha256: z.string(), ...actorArg }),
  attachmentRow,
);
export const fnUploadsStale = defineFunction(
  "jobs_attachment_uploads_stale",
  z.object({ p_limit: z.number().int().optional() }),
  z.array(z.object({ id: z.uuid(), storage_path: z.string(), orphan: z.boolean() })),
);
export const fnUploadsForget = defineFunction("jobs_attachment_uploads_forget", z.object({ p_ids: z.array(z.uuid()) }), z.number().int());

/** Completing stays possible this long after the bytes' deadline (as in the SQL): a big file that started in time finishes. */
export const COMPLETE_GRACE_SECONDS = 60 * 60;

const notFound = () => new AppError("not_found", "Upload not found");
const expired = () => new AppError("invalid_state", "This upload has expired; start a new one");

/**
 * The upload a token names, for the user it was issued to. A forged or malformed token, or
 * another user's, is not_found (it names nothing this user has); a stale one is invalid_state.
 */
async function claimsOf(actor: Actor, token: string, graceSeconds: number) {
  const check = await verifyUploadToken(token, Date.now(), graceSeconds);
  if (!check.claims || check.claims.userId !== actor.id) throw notFound();
  if (!check.ok) throw expired();
  return check.claims;
}

function uploadPath(token: string): string {
  return `/api/v1/attachments/uploads/${token}`;
}

/**
 * Begins a direct upload. In the local-folder modes the PUT URL is a path on the app itself,
 * relative, so the browser sends the bytes to the origin it is on (127.0.0.1, a LAN name, the
 * public host behind a proxy) and the page's CSP (`connect-src 'self'`) lets it through. On
 * Supabase it is Storage's own signed URL, as Storage gives it.
 */
export async function beginUpload(actor: Actor, input: AttachmentUploadBegin, idempotency?: Idempotency): Promise<DirectUpload> {
  const fileName = cleanFileName(input.file_name);
  if (!fileName) throw refused("The file needs a name");
  const announced = checkAnnounced({ fileName, declaredType: input.content_type, size: input.size });
  if (!announced.ok) throw refused(announced.message, announced.reason);
  const row = await callWrite(
    fnAttachmentUploadBegin,
    {
      p_kind: input.kind,
      p_file_name: fileName,
      p_content_type: announced.mime,
      p_size_bytes: input.size,
      p_customer_id: input.customer_id,
      p_inspection_id: input.inspection_id,
      p_internal: input.internal,
    },
    actor.caller,
    idempotency,
  );
  const token = await signUploadToken({ uploadId: row.id, userId: actor.id, exp: Math.floor(Date.parse(row.expires_at) / 1000) });
  const signed = await (await getStorage()).signedUploadUrl(row.storage_path, row.content_type);
  const target = signed ?? { url: uploadPath(token), headers: { "content-type": row.content_type } };
  return { token, url: target.url, method: "PUT", headers: target.headers, expires_at: new Date(row.expires_at).toISOString() };
}

function pendingOrRefuse(row: UploadRow): void {
  if (row.status === "completed") throw new AppError("conflict", "This upload is already complete");
  if (row.status === "failed") throw new AppError("conflict", "This upload was refused; start a new one");
}

/**
 * PUT /api/v1/attachments/uploads/:token (local-folder modes): the bytes of the user's own
 * pending upload, until its deadline, at most the size announced. Nothing is kept of a refused
 * body.
 */
export async function receiveUpload(actor: Actor, token: string, req: Request): Promise<{ size_bytes: number }> {
  const storage = await getStorage();
  // On Supabase the bytes go to Storage's own signed URL; this route does not exist there.
  if (storage.kind !== "local") throw new AppError("not_found", "Not found");
  const claims = await claimsOf(actor, token, 0);
  const row = await call(fnAttachmentUploadGet, { p_id: claims.uploadId }, actor.caller);
  pendingOrRefuse(row);
  if (Date.parse(row.expires_at) < Date.now()) throw expired();
  const tooLarge = `The file is larger than announced (${row.size_bytes} bytes); files can be at most 20 MB`;
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > row.size_bytes) throw refused(tooLarge, "too_large");
  if (!req.body) throw refused("Send the file's bytes as the request body");
  const put = await (storage as LocalStorage).putStream(row.storage_path, req.body, row.size_bytes);
  if (!put.ok) {
    if (put.reason === "exists") throw new AppError("conflict", "The file of this upload has already been sent");
    if (put.reason === "aborted") throw new AppError("bad_request", "The upload was interrupted; send the file again");
    throw refused(tooLarge, "too_large");
  }
  return { size_bytes: put.size };
}

/** The stored object is refused: it goes, the upload is over, and the user is told why (422). */
async function refuseStored(actor: Actor, row: UploadRow, message: string, reason?: FileRefusal): Promise<never> {
  try {
    // Service role only: it records the server's refusal of the stored object.
    await call(fnAttachmentUploadFail, { p_id: row.id, ...forActor(actor) }, service);
  } catch (error) {
    // The object goes all the same; a row left pending is pruned with its path later.
    log.error("attachments.upload_fail_mark_failed", { uploadId: row.id, error: error instanceof Error ? error.message : String(error) });
  }
  await removeQuietly(row.storage_path);
  throw refused(message, reason);
}

/** POST /api/v1/attachments/uploads/:token/complete: checks the stored bytes and registers them. */
export async function completeUpload(actor: Actor, token: string, idempotency?: Idempotency): Promise<Attachment> {
  const claims = await claimsOf(actor, token, COMPLETE_GRACE_SECONDS);
  const row = await call(fnAttachmentUploadGet, { p_id: claims.uploadId }, actor.caller);
  // A retry with the request's Idempotency-Key replays the first answer from the database.
  if (!(idempotency && row.status === "completed")) pendingOrRefuse(row);

  const storage = await getStorage();
  const object = await storage.get(row.storage_path);
  if (!object) throw new AppError("invalid_state", "The file has not been sent yet: PUT it to the upload URL first");
  const bytes = await readAtMost(object.stream, MAX_FILE_BYTES);
  if (!bytes) return refuseStored(actor, row, "Files can be at most 20 MB", "too_large");
  const checked = await checkFile({ bytes, fileName: row.file_name, declaredType: row.content_type });
  if (!checked.ok) return refuseStored(actor, row, checked.message, checked.reason);
  if (bytes.length !== row.size_bytes) {
    return refuseStored(actor, row, `The file sent has ${bytes.length} bytes, not the ${row.size_bytes} announced`, "type");
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    const registered = await callWrite(
      fnAttachmentUploadComplete,
      // Service role only: size, type and hash are the server's findings, not the user's word.
      { p_id: row.id, p_size_bytes: bytes.length, p_content_type: checked.mime, p_sha256: sha256, ...forActor(actor) },
      service,
      idempotency,
    );
    return publicView(registered);
  } catch (error) {
    // The record or the user's right to it is gone since the upload began: the bytes go too.
    // A conflict (completed meanwhile) or an outage leaves the object alone.
    if (error instanceof AppError && ["not_found", "forbidden", "validation_failed"].includes(error.code)) {
      return refuseStored(actor, row, error.message);
    }
    throw error;
  }
}

/**
 * Prune job: the objects of uploads no URL can write to any more and that no attachment holds
 * (never completed, refused, or deleted since) are removed, then those rows are forgotten.
 */
export async function pruneStaleUploads(limit = 500): Promise<{ stale: number; objects_removed: number; forgotten: number; failed: number }> {
  const stale = await call(fnUploadsStale, { p_limit: limit }, service);
  const storage = await getStorage();
  const done: string[] = [];
  let removed = 0;
  let failed = 0;
  for (const u of stale) {
    if (!u.orphan) {
      done.push(u.id);
      continue;
    }
    try {
      await storage.remove(u.storage_path);
      removed += 1;
      done.push(u.id);
    } catch (error) {
      failed += 1;
      log.error("attachments.upload_prune_failed", { uploadId: u.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const forgotten = done.length > 0 ? await call(fnUploadsForget, { p_ids: done }, service) : 0;
  return { stale: stale.length, objects_removed: removed, forgotten, failed };
}
