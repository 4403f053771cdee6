import { READ_RECORDS } from "@/lib/auth/permissions";
import { deleteAttachment, getAttachment } from "@/lib/data/attachments";
import { handler, ok } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";

export const dynamic = "force-dynamic";

// GET /api/v1/attachments/:id — one file's metadata (another company's: 404)
export const GET = handler({ permission: READ_RECORDS, params: idParams }, async ({ actor, params }) => ok(await getAttachment(actor, params.id)));

// DELETE /api/v1/attachments/:id — remove a file and its metadata (admin, manager, korean_team)
export const DELETE = handler({ params: idParams }, async ({ actor, params, idempotency }) =>
  ok(await deleteAttachment(actor, params.id, idempotency)),
);
