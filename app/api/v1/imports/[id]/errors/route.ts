import { errorReportResponse } from "@/lib/data/import-files";
import { handler } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { fileFormatQuery } from "@/lib/schemas/imports";

export const dynamic = "force-dynamic";

// GET /api/v1/imports/:id/errors?format=xlsx — the error report: the sheet as read, an error column, the bad cells highlighted
export const GET = handler({ permission: "records:write", params: idParams, query: fileFormatQuery }, async ({ actor, params }) =>
  errorReportResponse(actor, params.id),
);
