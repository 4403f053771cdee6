import { openAttachment } from "@/lib/data/attachments";
import { handler } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

/** attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266). */
function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// GET /api/v1/attachments/:id/download — the file itself, after the same check as its metadata (another company's: 404)
export const GET = handler({ params: idParams }, async ({ actor, params }) => {
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
