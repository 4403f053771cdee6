import { can } from "@/lib/auth/permissions";
import { bulkFlowAction } from "@/lib/data/flow-bulk";
import { AppError } from "@/lib/errors";
import { handler, ok } from "@/lib/http/handler";
import { flowBulkSchema } from "@/lib/schemas/flow-bulk";

const PERMISSION = { submit: "records:write", approve: "flows:approve", commit: "flows:commit" } as const;

// POST /api/v1/flows/bulk — submit, approve or commit several flows; one result per flow
export const POST = handler({ permission: "records:write", body: flowBulkSchema }, async ({ actor, body, idempotency }) => {
  if (!can(actor.role, PERMISSION[body.action])) throw new AppError("forbidden", "You are not allowed to do this");
  const results = await bulkFlowAction(actor.caller, body.action, body.ids, idempotency);
  return ok({ action: body.action, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results });
});
