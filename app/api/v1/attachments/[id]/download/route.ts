import { READ_RECORDS } from "@/lib/auth/permissions";
import { openAttachment } from "@/lib/data/attachments";
import { contentDisposition } from "@/lib/http/content-disposition";
import { handler } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// GET /api/v1/attachments/:id/download — the file itself, after the same check as its metadata (another company's: 404)
export const GET = handler({ permission: READ_RECORDS, params: idParams }, async ({ actor, params }) => {
  const { attachment, object } = await openAttachment(actor, params.id);
  const headers = new Headers({
    "Content-Type": attachment.content_type,
    "Content-Disposition": contentDisposition(attachment.file_name),
    "X-Content-Type-Options": "nosniff",
    // Opened directly anyway, the file runs no script and loads nothing.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  });
  if (object.size !== null) headers.set("Content-Length", String(object.size));
  return new Response(object.stream, { status: 200, headers });
});
