import { AppError } from "@/lib/errors";
import { handler, ok } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";
import { issueDetails } from "@/lib/i18n/zod-issues";
import { env } from "@/lib/env";
import { maintenance, setMaintenance } from "@/lib/ops/maintenance";
import { maintenanceSchema } from "@/lib/schemas/ops";

export const dynamic = "force-dynamic";

const isForm = (req: Request) => (req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");

// GET /api/v1/ops/maintenance — whether maintenance mode is on, its message and expected end (admins)
export const GET = handler({ permission: "audit:read" }, async () => {
  const { source, ...state } = await maintenance();
  return ok({ ...state, source });
});

// POST /api/v1/ops/maintenance — switch maintenance mode on or off ({active, message?, ends_at?}; admins, audited; the status page's form is sent back to /admin/status)
export const POST = handler({ permission: "audit:read" }, async ({ req, actor }) => {
  const form = isForm(req);
  const e = env();
  const raw = form ? Object.fromEntries(new URLSearchParams(await req.text())) : await readJsonBody(req, { maxBytes: e.JSON_BODY_MAX_BYTES, maxDepth: e.JSON_BODY_MAX_DEPTH });
  const parsed = maintenanceSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new AppError("validation_failed", "Some fields are missing or invalid", issueDetails(parsed.error, actor.locale));
  const { source, ...state } = await setMaintenance(actor.id, parsed.data);
  if (form) return new Response(null, { status: 303, headers: { Location: "/admin/status" } });
  return ok({ ...state, source });
});
