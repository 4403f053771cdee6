import { listLedger } from "@/lib/data/stocks";
import { ledgerExport } from "@/lib/export/lists";
import { handler, json } from "@/lib/http/handler";
import { ledgerQuery } from "@/lib/schemas/flows";

// GET /api/v1/ledger — stock movements, newest first; pass next_before as ?before= for the next page; ?format=xlsx|csv: every movement for the filters as a file
export const GET = handler({ permission: "records:read", query: ledgerQuery, export: ledgerExport }, async ({ actor, query }) => {
  const result = await listLedger(actor.caller, query);
  return json({ data: result.data, limit: result.limit, next_before: result.next_before });
});
