import { WRITE_RECORDS } from "@/lib/auth/permissions";
import { beginUpload } from "@/lib/data/attachment-uploads";
import { handler, ok } from "@/lib/http/handler";
import { attachmentUploadBegin } from "@/lib/schemas/attachments";

export const dynamic = "force-dynamic";

// POST /api/v1/attachments/uploads — begin a direct upload ({inspection_id or customer_id, kind, internal?, file_name, content_type, size}): where to PUT the bytes, and the token to complete it
export const POST = handler({ permission: WRITE_RECORDS, body: attachmentUploadBegin }, async ({ actor, body, idempotency }) =>
  ok(await beginUpload(actor, body, idempotency), 201),
);
