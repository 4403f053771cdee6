import { listAudit } from "@/lib/data/audit";
import { auditExport } from "@/lib/export/lists";
import { handler, page } from "@/lib/http/handler";
import { auditListQuery } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

// GET /api/v1/audit — the audit log, newest first (?actor_id=&table=&action=&from=&to=&security=true&page=&limit=), admins only; ?format=xlsx|csv: a file
export const GET = handler({ permission: "audit:read", query: auditListQuery, export: auditExport }, async ({ actor, query }) =>
  page(await listAudit(actor.caller, query)),
);
