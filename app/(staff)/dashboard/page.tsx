import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Streamed, Widget } from "@/components/dashboard/widget";
import { KpiCards, LowStockList, RecentActivity, StockByEngine, StockByLocation, TopMovers, Trend } from "@/components/dashboard/widgets";
import { PageHeader } from "@/components/ui/card";
import { requireActor } from "@/lib/auth/page";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

// /dashboard — staff landing page: KPIs, 30-day trend, stock by engine and location, top movers,
// recent activity and the low-stock list. Each widget streams and fails on its own (Streamed).
export default async function DashboardPage() {
  const actor = await requireActor("staff:access");
  const t = await getTranslations("dashboard");
  return (
    <>
      <PageHeader title={t("title")} />
      <Streamed height={92}>{KpiCards({ actor })}</Streamed>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Widget title={t("trend.title")} height={240} className="lg:col-span-2">
          {Trend({ actor })}
        </Widget>
        <Widget title={t("lowStockList.title")} height={240}>
          {LowStockList({ actor })}
        </Widget>
        <Widget title={t("byEngine.title")} height={120}>
          {StockByEngine({ actor })}
        </Widget>
        <Widget title={t("byLocation.title")} height={120}>
          {StockByLocation({ actor })}
        </Widget>
        <Widget title={t("movers.title")} height={200}>
          {TopMovers({ actor })}
        </Widget>
        <Widget title={t("activity.title")} height={200} className="lg:col-span-3">
          {RecentActivity({ actor })}
        </Widget>
      </div>
    </>
  );
}
