import { createInspection, listInspections } from "@/lib/data/inspections";
import { inspectionsExport } from "@/lib/export/lists";
import { handler, ok, page } from "@/lib/http/handler";
import { requireInspectionAccess } from "@/lib/http/inspection-access";
import { trackEvent } from "@/lib/observability/analytics";
import { inspectionCreateSchema, inspectionListQuery } from "@/lib/schemas/inspections";

export const dynamic = "force-dynamic";

// GET /api/v1/inspections — applications (?status=&open=&customer_id=&inspector_id=&q=); staff all, customers their company's; ?format=xlsx|csv: a file
export const GET = handler({ query: inspectionListQuery, export: inspectionsExport }, async ({ actor, query }) => {
  requireInspectionAccess(actor, "read");
  return page(await listInspections(actor.caller, query));
});

// POST /api/v1/inspections — apply for an inspection (customers for their company; staff for any customer)
export const POST = handler({ body: inspectionCreateSchema }, async ({ req, actor, body, idempotency }) => {
  requireInspectionAccess(actor, "write");
  const inspection = await createInspection(actor.caller, body, idempotency);
  if (!idempotency?.replayed) {
    void trackEvent("inspection_submitted", { inspection_id: inspection.id, inspection_type: inspection.inspection_type }, req);
  }
  return ok(inspection, 201);
});
