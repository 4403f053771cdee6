"use client";

import { useTranslations } from "next-intl";
import { useUnreadCounts } from "./unread-store";

/** The number of unread messages beside a navigation link, live; nothing while there are none. */
export function UnreadBadge() {
  const t = useTranslations("common.liveUnread");
  const counts = useUnreadCounts();
  if (!counts || counts.total === 0) return null;
  return (
    <span
      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-brand-700 px-1.5 text-xs font-semibold text-white"
      data-testid="nav-unread"
      aria-label={t("badge", { count: counts.total })}
    >
      {counts.total}
    </span>
  );
}
