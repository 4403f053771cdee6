import { READ_RECORDS, WRITE_RECORDS } from "@/lib/auth/permissions";
import { createInspection, listInspections } from "@/lib/data/inspections";
import { inspectionsExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { trackEvent } from "@/lib/observability/analytics";
import { inspectionCreateSchema, inspectionListQuery } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections — applications (?status=&open=&customer_id=&inspector_id=&q=); staff all, customers their company's; ?format=xlsx|csv: a file
export const GET = handler({ permission: READ_RECORDS, query: inspectionListQuery, export: inspectionsExport }, async ({ actor, query }) => {
  return page(await listInspections(actor.caller, query));
});

// POST /api/v1/inspections — apply for an inspection (customers for their company; staff for any customer)
export const POST = handler({ permission: WRITE_RECORDS, body: inspectionCreateSchema }, async ({ req, actor, body, idempotency }) => {
  const inspection = await createInspection(actor.caller, body, idempotency);
  if (!idempotency?.replayed) {
    void trackEvent("inspection_submitted", { inspection_id: inspection.id, inspection_type: inspection.inspection_type }, req);
  }
  return ok(inspection, 201);
});
