import { listImportRows } from "@/lib/data/imports";
import { handler, json } from "@/lib/http/handler";
import { idParams } from "@/lib/schemas/common";
import { importRowsQuery } from "@/lib/schemas/imports";

// GET /api/v1/imports/:id/rows — the rows in sheet order with their messages and changes (?status=error|new|changed|unchanged&after=<row_no>&limit=)
export const GET = handler({ permission: "records:write", params: idParams, query: importRowsQuery }, async ({ actor, params, query }) => {
  const rows = await listImportRows(actor.caller, params.id, query);
  const last = rows.data.at(-1);
  return json({ data: rows.data, count: rows.count, next_after: rows.data.length === query.limit && last ? last.row_no : null });
});
