import "server-only";
import { AppError } from "@/lib/errors";
import { readAtMost } from "@/lib/storage/read-at-most";

// Reads a multipart/form-data request with a hard cap on its size: a body over the cap is
// refused as soon as the cap is passed (or at once, from Content-Length), never buffered whole.

export type UploadedFile = { name: string; type: string; bytes: Uint8Array };
export type Multipart = { fields: Record<string, string>; files: Record<string, UploadedFile> };

function tooLarge(message: string): AppError {
  return new AppError("validation_failed", message, [{ path: "file", message }]);
}

/**
 * The whole body of a request of at most `cap` bytes: refused from Content-Length before reading,
 * or as soon as the bytes counted pass the cap (a chunked body declares no length).
 */
export async function readCapped(req: Request, cap: number, tooLarge: () => Error): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > cap) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const bytes = await readAtMost(req.body, cap);
  if (!bytes) throw tooLarge();
  return bytes;
}

/** The text fields and files of a multipart request of at most `cap` bytes. */
export async function readMultipart(req: Request, cap: number, tooLargeMessage: string): Promise<Multipart> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new AppError("bad_request", "Send the file as multipart/form-data");
  }
  const body = await readCapped(req, cap, () => tooLarge(tooLargeMessage));
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError("bad_request", "The multipart body could not be read");
  }
  const fields: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [key, value] of form) {
    if (typeof value === "string") {
      fields[key] = value;
    } else if (!(key in files)) {
      files[key] = { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  return { fields, files };
}
