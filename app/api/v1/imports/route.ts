import { importFromUpload, startImport } from "@/lib/data/import-start";
import { AppError } from "@/lib/errors";
import { handler, ok } from "@/lib/http/handler";
import { readMultipart } from "@/lib/http/multipart";
import { importCreateFields, importCreateFromUpload } from "@/lib/schemas/imports";

export const dynamic = "force-dynamic";

// A multipart file goes through the function's request body (Vercel caps it at 4.5 MB); larger
// files come as a finished direct upload.
const MULTIPART_FILE_BYTES = 4 * 1024 * 1024;
const BODY_CAP = MULTIPART_FILE_BYTES + 64 * 1024;
const TOO_LARGE = "Files sent with the request can be at most 4 MB; upload larger ones directly first";

function fieldsError(issues: { path: PropertyKey[]; message: string }[]): AppError {
  return new AppError("validation_failed", "Some fields are missing or invalid", issues.map((i) => ({ path: i.path.join("."), message: i.message })));
}

async function fromMultipart(req: Request) {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > BODY_CAP) throw new AppError("payload_too_large", TOO_LARGE);
  const { fields, files } = await readMultipart(req, BODY_CAP, TOO_LARGE).catch((error: unknown) => {
    throw error instanceof AppError && error.message === TOO_LARGE ? new AppError("payload_too_large", TOO_LARGE) : error;
  });
  const parsed = importCreateFields.safeParse(fields);
  if (!parsed.success) throw fieldsError(parsed.error.issues);
  if (!files.file) throw new AppError("validation_failed", "Attach the file", [{ path: "file", message: "Attach the file" }]);
  return { fields: parsed.data, file: { name: files.file.name, bytes: files.file.bytes } };
}

// POST /api/v1/imports — start an import: multipart (kind, location_id, customer_id, sheet, id, file up to 4 MB) or JSON with attachment_id of a finished direct upload; 201 once read and validated
export const POST = handler({ permission: "records:write" }, async ({ req, actor }) => {
  if (/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) {
    const { fields, file } = await fromMultipart(req);
    return ok(await startImport(actor, fields, file), 201);
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("invalid_json", "Send the file as multipart/form-data, or JSON naming a finished upload");
  }
  const parsed = importCreateFromUpload.safeParse(body);
  if (!parsed.success) throw fieldsError(parsed.error.issues);
  return ok(await importFromUpload(actor, parsed.data), 201);
});
