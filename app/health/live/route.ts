import { handler, json } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// GET /health/live — the process answers (no database)
export const GET = handler({ auth: "none" }, async () =>
  json({ status: "alive", uptime_s: Math.round(process.uptime()), rss_mb: Math.round(process.memoryUsage().rss / 1048576) }),
);
