// GET /health — legacy alias of /healthz
export { GET } from "@/app/healthz/route";

export const dynamic = "force-dynamic";
