"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { useUnreadCounts } from "./unread-store";

/**
 * An application's unread messages in a table row: what the page rendered, then the live count
 * once the unread stream has sent the caller's counts (which list every application with any).
 */
export function LiveUnreadCell({ inspectionId, initial, none }: { inspectionId: string; initial: number; none: string }) {
  const t = useTranslations("inspections.thread");
  const counts = useUnreadCounts();
  const unread = counts ? (counts.inspections.find((i) => i.inspection_id === inspectionId)?.unread ?? 0) : initial;
  return (
    <span data-testid="inspection-unread" data-inspection={inspectionId}>
      {unread > 0 ? <Badge tone="blue">{t("unread", { count: unread })}</Badge> : none}
    </span>
  );
}
