import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { translationEnabled } from "@/components/translation/load";
import { TranslateAction } from "@/components/translation/translate-action";
import type { Flow } from "@/lib/data/flows";

type Ref = { code: string; name: string } | null;
const place = (l: Ref) => (l ? `${l.code} · ${l.name}` : "—");

/** The flow's header fields as a description list. */
export async function FlowHeader({ flow, original }: { flow: Flow; original: { id: string; number: string } | null }) {
  const t = await getTranslations("flows");
  const rows: { label: string; value: React.ReactNode }[] = [{ label: t("detail.kind"), value: t(`kinds.${flow.kind}`) }];
  if (flow.kind === "transfer") {
    rows.push({ label: t("form.locationFrom"), value: place(flow.from_location) }, { label: t("form.locationTo"), value: place(flow.to_location) });
  } else if (flow.kind === "outbound") {
    rows.push({ label: t("form.locationOutbound"), value: place(flow.from_location) });
  } else {
    rows.push({ label: t(flow.kind === "inbound" ? "form.locationInbound" : "form.locationAdjustment"), value: place(flow.to_location) });
  }
  rows.push(
    { label: t("form.customer"), value: flow.customer ? `${flow.customer.code} · ${flow.customer.name}` : "—" },
    { label: t("form.partner"), value: flow.partner || "—" },
    { label: t("form.reference"), value: flow.reference || "—" },
  );
  if (original) {
    rows.push({
      label: t("detail.reversalOf"),
      value: (
        <Link href={`/flows/${original.id}`} className="text-brand-700 underline">
          {original.number}
        </Link>
      ),
    });
  }
  return (
    <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
      {rows.map((r) => (
        <div key={r.label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-700">{r.label}</dt>
          <dd className="mt-0.5 text-sm text-slate-900">{r.value}</dd>
        </div>
      ))}
      {flow.note ? (
        <div className="sm:col-span-2">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-700">{t("form.note")}</dt>
          <dd className="mt-0.5 whitespace-pre-line text-sm text-slate-900">
            {flow.note}
            {translationEnabled() ? <TranslateAction type="flow_note" id={flow.id} field="note" /> : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
