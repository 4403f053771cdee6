import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth";
import { call, defineFunction, service } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getStorage } from "@/lib/storage";
import { MAX_FILE_BYTES } from "@/lib/storage/file-type";
import type { LocalStorage } from "@/lib/storage/local";
import { signUploadToken, verifyUploadToken } from "@/lib/storage/upload-token";
import type { ImportFile } from "./import-start";

// Direct uploads of import files (up to 20 MB; a function's request body is capped at 4.5 MB on
// Vercel). The bytes go to storage under the user's own folder (Supabase Storage's signed upload
// URL, or PUT /api/v1/imports/uploads/:token in the local-folder modes); POST /api/v1/imports
// then names the upload's token, and the file is read back, checked by parsing it, and removed.
// The signed token names the user and the path, and expires in 30 minutes. Each upload is also a
// row of import_uploads until it is taken, so the daily prune removes the files of uploads that
// were never imported (pruneImportUploads).

const LIFETIME_SECONDS = 30 * 60;
/**
 * How long after its token expired an upload that was never imported is kept: Supabase's signed
 * upload URLs live two hours whatever is asked, so by then nothing can still write to its path.
 */
export const IMPORT_UPLOAD_RETENTION_MS = 150 * 60 * 1000;

const fnUploadBegin = defineFunction(
  "import_upload_begin",
  z.object({ p_id: z.uuid(), p_storage_path: z.string(), p_file_name: z.string(), p_size: z.number().int(), p_expires_at: z.string(), p_actor: z.uuid() }),
  z.unknown(),
);
const fnUploadTaken = defineFunction("import_upload_taken", z.object({ p_id: z.uuid(), p_actor: z.uuid() }), z.boolean());
const fnUploadsStale = defineFunction(
  "jobs_import_uploads_stale",
  z.object({ p_before: z.string(), p_limit: z.number().int() }),
  z.array(z.object({ id: z.uuid(), storage_path: z.string() })),
);
const fnUploadsForget = defineFunction("jobs_import_uploads_forget", z.object({ p_ids: z.array(z.uuid()), p_before: z.string() }), z.number().int());
const NAME = /\.(xlsx|csv|txt|tsv)$/i;

export type ImportUploadBegin = { file_name: string; size: number };
export type ImportUpload = { token: string; url: string; method: "PUT"; headers: Record<string, string>; expires_at: string };

function pathOf(userId: string, uploadId: string): string {
  return `${userId}/${uploadId}`;
}

const notFound = () => new AppError("not_found", "Upload not found");

async function claimsOf(actor: Actor, token: string) {
  const check = await verifyUploadToken(token, Date.now());
  if (!check.claims || check.claims.userId !== actor.id) throw notFound();
  if (!check.ok) throw new AppError("invalid_state", "This upload has expired; start a new one");
  return check.claims;
}

/** POST /api/v1/imports/uploads: where to PUT a file of this name and size (a same-origin path in the local-folder modes). */
export async function beginImportUpload(actor: Actor, input: ImportUploadBegin): Promise<ImportUpload> {
  if (!NAME.test(input.file_name)) {
    throw new AppError("unsupported_media_type", "Only .xlsx and .csv files are imported", { reason: "not_spreadsheet" });
  }
  if (input.size > MAX_FILE_BYTES) throw new AppError("payload_too_large", "Files can be at most 20 MB", { reason: "too_large" });
  const uploadId = randomUUID();
  const exp = Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
  const token = await signUploadToken({ uploadId, userId: actor.id, exp });
  const contentType = "application/octet-stream";
  await call(
    fnUploadBegin,
    { p_id: uploadId, p_storage_path: pathOf(actor.id, uploadId), p_file_name: input.file_name, p_size: input.size, p_expires_at: new Date(exp * 1000).toISOString(), p_actor: actor.id },
    service,
  );
  const signed = await (await getStorage()).signedUploadUrl(pathOf(actor.id, uploadId), contentType);
  const target = signed ?? { url: `/api/v1/imports/uploads/${token}`, headers: { "content-type": contentType } };
  return { token, url: target.url, method: "PUT", headers: target.headers, expires_at: new Date(exp * 1000).toISOString() };
}

/** PUT /api/v1/imports/uploads/:token (local folder only): the bytes, at most 20 MB, once. */
export async function receiveImportUpload(actor: Actor, token: string, req: Request): Promise<{ size_bytes: number }> {
  const storage = await getStorage();
  if (storage.kind !== "local") throw new AppError("not_found", "Not found");
  const claims = await claimsOf(actor, token);
  if (!req.body) throw new AppError("bad_request", "Send the file's bytes as the request body");
  const put = await (storage as LocalStorage).putStream(pathOf(actor.id, claims.uploadId), req.body, MAX_FILE_BYTES);
  if (put.ok) return { size_bytes: put.size };
  if (put.reason === "exists") throw new AppError("conflict", "The file of this upload has already been sent");
  if (put.reason === "aborted") throw new AppError("bad_request", "The upload was interrupted; send the file again");
  throw new AppError("payload_too_large", "Files can be at most 20 MB", { reason: "too_large" });
}

/** The uploaded file, taken out of storage (read once: the object is removed). */
export async function takeImportUpload(actor: Actor, token: string, fileName: string): Promise<ImportFile> {
  const claims = await claimsOf(actor, token);
  const storage = await getStorage();
  const path = pathOf(actor.id, claims.uploadId);
  const bytes = await storage.getBytes(path);
  if (!bytes) throw new AppError("invalid_state", "The file has not been sent yet: PUT it to the upload URL first");
  await storage.remove(path);
  await call(fnUploadTaken, { p_id: claims.uploadId, p_actor: actor.id }, service);
  if (bytes.length > MAX_FILE_BYTES) throw new AppError("payload_too_large", "Files can be at most 20 MB", { reason: "too_large" });
  return { name: fileName, bytes };
}

/**
 * Prune job: the files of uploads never imported, past their retention, are removed from
 * storage, then their rows forgotten (a file that could not be removed is tried again next run).
 * `now` is the app's clock: the cutoff is computed here, so the job follows the app's time.
 */
export async function pruneImportUploads(now = Date.now(), limit = 500): Promise<{ stale: number; objects_removed: number; forgotten: number; failed: number }> {
  const before = new Date(now - IMPORT_UPLOAD_RETENTION_MS).toISOString();
  const stale = await call(fnUploadsStale, { p_before: before, p_limit: limit }, service);
  const storage = await getStorage();
  const done: string[] = [];
  let failed = 0;
  for (const u of stale) {
    try {
      // Removing what is already gone is no error: the row alone is forgotten.
      await storage.remove(u.storage_path);
      done.push(u.id);
    } catch (error) {
      failed += 1;
      log.error("imports.upload_prune_failed", { uploadId: u.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const forgotten = done.length > 0 ? await call(fnUploadsForget, { p_ids: done, p_before: before }, service) : 0;
  return { stale: stale.length, objects_removed: done.length, forgotten, failed };
}
