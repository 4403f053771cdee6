import { getKpis, getRecentActivity, getStockBreakdown, getTopMovers, getTrend } from "@/lib/data/dashboard";
import { handler, ok } from "@/lib/http/handler";

// GET /api/v1/dashboard — the staff dashboard's figures in one response
export const GET = handler({ permission: "staff:access" }, async ({ actor }) => {
  const [kpis, trend, breakdown, topMovers, recentActivity] = await Promise.all([
    getKpis(actor.caller),
    getTrend(actor.caller, 30),
    getStockBreakdown(actor.caller),
    getTopMovers(actor.caller),
    getRecentActivity(actor.caller),
  ]);
  return ok({ kpis, trend, ...breakdown, top_movers: topMovers, recent_activity: recentActivity });
});
