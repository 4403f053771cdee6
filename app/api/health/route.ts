// GET /api/health — alias of /healthz under /api
export { GET } from "@/app/healthz/route";

export const dynamic = "force-dynamic";
