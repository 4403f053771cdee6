"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { UnreadCounts } from "@/lib/data/messages";
import { useUnreadCounts } from "./unread-store";

const linkClass = "text-brand-700 underline-offset-2 hover:underline";

/**
 * The portal home's unread messages: the counts the server rendered, replaced by the live ones
 * once the stream sends them (a new message from staff, a thread read in another tab).
 */
export function LiveUnread({ initial }: { initial: UnreadCounts }) {
  const t = useTranslations("portal.home");
  const live = useUnreadCounts();
  const unread = live ?? initial;
  return (
    <div className="text-sm" data-testid="portal-unread" data-live={live ? "true" : "false"}>
      <p className="text-3xl font-semibold text-slate-900" data-testid="portal-unread-total" aria-live="polite">
        {unread.total}
      </p>
      <p className="text-slate-700">{t("unreadCount", { count: unread.total })}</p>
      {unread.inspections.length > 0 ? (
        <ul className="mt-3 space-y-1" data-testid="portal-unread-list">
          {unread.inspections.map((u) => (
            <li key={u.inspection_id}>
              <Link href={`/portal/inspections/${u.inspection_id}`} className={linkClass}>
                <span className="font-mono">{u.number}</span> · {t("unreadCount", { count: u.unread })}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
