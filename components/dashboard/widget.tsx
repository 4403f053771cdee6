import { Suspense } from "react";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { log } from "@/lib/log";

/**
 * One dashboard widget in a card: its content streams on its own behind a skeleton of its final
 * height, and fails on its own (see Streamed).
 */
export function Widget({ title, height, className, children }: { title: string; height: number; className?: string; children: Promise<React.ReactNode> }) {
  return (
    <Card title={title} className={className}>
      <Streamed height={height}>{children}</Streamed>
    </Card>
  );
}

/**
 * The dashboard's one boundary: a widget's rendering, passed as the promise of calling its async
 * component (`{Trend({ actor })}`), streams behind a skeleton and, when its data cannot be read,
 * shows an error in its own place while the rest of the page renders. An async component placed
 * as `<Trend />` would throw past any try/catch here, into the page's error boundary.
 */
export function Streamed({ height, children }: { height: number; children: Promise<React.ReactNode> }) {
  return (
    <Suspense fallback={<Skeleton height={height} />}>
      <Settled height={height}>{children}</Settled>
    </Suspense>
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
