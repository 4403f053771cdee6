import { beginImportUpload } from "@/lib/data/import-uploads";
import { handler, ok } from "@/lib/http/handler";
import { importUploadBegin } from "@/lib/schemas/imports";

export const dynamic = "force-dynamic";

// POST /api/v1/imports/uploads — begin a direct upload of an import file (up to 20 MB): {file_name, size} → {token, url, method, headers, expires_at}
export const POST = handler({ permission: "records:write", body: importUploadBegin }, async ({ actor, body }) =>
  ok(await beginImportUpload(actor, body), 201),
);
