import { listAudit } from "@/lib/data/audit";
import { handler, page } from "@/lib/http/handler";
import { auditListQuery } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

// GET /api/v1/audit — the audit log, newest first (?actor_id=&table=&action=&from=&to=&security=true&page=&limit=), admins only
export const GET = handler({ permission: "audit:read", query: auditListQuery }, async ({ actor, query }) =>
  page(await listAudit(actor.caller, query)),
);
