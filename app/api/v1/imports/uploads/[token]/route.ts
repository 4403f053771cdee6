import { receiveImportUpload } from "@/lib/data/import-uploads";
import { handler, ok } from "@/lib/http/handler";
import { uploadTokenParams } from "@/lib/schemas/attachments";

export const dynamic = "force-dynamic";

// PUT /api/v1/imports/uploads/:token — the bytes of an import file's direct upload, in embedded and Postgres modes (on Supabase they go to Storage's signed URL)
export const PUT = handler({ permission: "records:write", params: uploadTokenParams }, async ({ req, actor, params }) =>
  ok(await receiveImportUpload(actor, params.token, req)),
);
