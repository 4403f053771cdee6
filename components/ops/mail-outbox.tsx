import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import type { OpsStatus } from "@/lib/data/ops";

/**
 * The status page's mail card: whether mail can go at all, and the outbox: emails waiting,
 * failed for good, sent in the last 24 hours, and how long the oldest waiting one has waited
 * (an old one while mail is configured means delivery is stuck).
 */
export async function MailOutboxCard({ configured, mail }: { configured: boolean; mail: OpsStatus["mail"] }) {
  const [t, format] = await Promise.all([getTranslations("ops.status.mail"), getFormatter()]);
  const oldest = mail.oldest_pending_at ? new Date(mail.oldest_pending_at) : null;
  const rows: { key: string; label: string; value: string }[] = [
    { key: "pending", label: t("pending"), value: format.number(mail.pending) },
    { key: "failed", label: t("failed"), value: format.number(mail.failed) },
    { key: "sent", label: t("sent"), value: format.number(mail.sent) },
    {
      key: "oldest",
      label: t("oldest"),
      value: oldest ? t("oldestAt", { ago: format.relativeTime(oldest, new Date()), time: format.dateTime(oldest, "long") }) : "–",
    },
  ];
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-900" data-testid="mail-state">{configured ? t("configured") : t("notConfigured")}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map((r) => (
          <div key={r.key} className="contents">
            <dt className="text-slate-700">{r.label}</dt>
            <dd className="text-slate-900 tabular-nums" data-testid={`mail-${r.key}`}>{r.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
