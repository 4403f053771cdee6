import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { log } from "@/lib/log";

/**
 * One dashboard widget: streams on its own behind a skeleton of its final height, and fails on
 * its own (an error shows in the widget, the rest of the page still renders).
 */
export function Widget({ title, height, className, children }: { title: string; height: number; className?: string; children: Promise<React.ReactNode> }) {
  return (
    <Card title={title} className={className}>
      <Suspense fallback={<Skeleton height={height} />}>
        <Settled height={height}>{children}</Settled>
      </Suspense>
    </Card>
  );
}

async function Settled({ children, height }: { children: Promise<React.ReactNode>; height: number }) {
  let content: React.ReactNode;
  try {
    content = await children;
  } catch (error) {
    log.error("dashboard.widget_failed", { error: error instanceof Error ? error.message : String(error) });
    const t = await getTranslations("dashboard");
    return <ErrorState title={t("widgetError")} />;
  }
  return <div style={{ minHeight: height }}>{content}</div>;
}
