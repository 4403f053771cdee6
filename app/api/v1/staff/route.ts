import { listStaff } from "@/lib/data/staff";
import { handler, ok } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// GET /api/v1/staff — the staff directory (active staff: id, display name, role), every staff role
export const GET = handler({ permission: "staff:access" }, async ({ actor }) => ok(await listStaff(actor.caller)));
