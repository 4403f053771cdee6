import { WRITE_RECORDS } from "@/lib/auth/permissions";
import { completeUpload } from "@/lib/data/attachment-uploads";
import { handler, ok } from "@/lib/http/handler";
import { uploadTokenParams } from "@/lib/schemas/attachments";

export const dynamic = "force-dynamic";

// POST /api/v1/attachments/uploads/:token/complete — check the stored bytes and record the attachment (answers like POST /api/v1/attachments)
export const POST = handler({ permission: WRITE_RECORDS, params: uploadTokenParams }, async ({ actor, params, idempotency }) =>
  ok(await completeUpload(actor, params.token, idempotency), 201),
);
