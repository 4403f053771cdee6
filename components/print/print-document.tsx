import { formatDate, formatKRW, formatQty } from "@/lib/format";
import { itemName, type Locale } from "@/lib/i18n/locales";
import { Barcode } from "./barcode";
import { totalsByUnit, valueTotal, type PrintDoc, type PrintLine } from "./document";
import type { PrintT } from "./translator";

// One printed document (delivery note, goods receipt, transfer note, stocktake adjustment sheet):
// company header, number as text and barcode, parties and warehouses, lines, totals, signature
// boxes. Laid out for A4 by app/(print)/print.css; on screen it is the same sheet on grey.

/** Who signs each kind of document, in order. */
const SIGNATURES: Record<PrintDoc["kind"], string[]> = {
  outbound: ["issuedBy", "checkedBy", "receivedBy"],
  inbound: ["deliveredBy", "checkedBy", "receivedBy"],
  transfer: ["issuedBy", "carriedBy", "receivedBy"],
  adjustment: ["countedBy", "checkedBy", "approvedBy"],
};

const cell = "border border-slate-400 px-2 py-1";
const num = `${cell} text-right tabular-nums whitespace-nowrap`;

export function documentTitle(t: PrintT, doc: Pick<PrintDoc, "kind">): string {
  return t(`print.titles.${doc.kind}`);
}

function statusLabel(t: PrintT, doc: PrintDoc): string {
  return doc.audience === "customer" ? t(`portal.shipments.statuses.${doc.status}`) : t(`flows.statuses.${doc.status}`);
}

function Field({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="flex gap-2 py-0.5">
      <dt className="w-28 shrink-0 text-slate-600">{label}</dt>
      <dd className="text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const placeText = (p: PrintDoc["from"]) => (p ? `${p.name} (${p.code})` : "—");

function parties(t: PrintT, doc: PrintDoc): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  if (doc.kind === "outbound") rows.push({ label: t("print.fields.shipFrom"), value: placeText(doc.from) });
  if (doc.kind === "inbound") rows.push({ label: t("print.fields.receiveAt"), value: placeText(doc.to) });
  if (doc.kind === "transfer") rows.push({ label: t("print.fields.from"), value: placeText(doc.from) }, { label: t("print.fields.to"), value: placeText(doc.to) });
  if (doc.kind === "adjustment") rows.push({ label: t("print.fields.warehouse"), value: placeText(doc.to) });
  if (doc.customer) rows.push({ label: t("print.fields.customer"), value: `${doc.customer.name} (${doc.customer.code})` });
  if (doc.partner) rows.push({ label: t(doc.kind === "inbound" ? "print.fields.supplier" : "print.fields.partner"), value: doc.partner });
  if (doc.reference) rows.push({ label: t("print.fields.reference"), value: doc.reference });
  return rows;
}

function LineRow({ line, doc, lang, counted }: { line: PrintLine; doc: PrintDoc; lang: Locale; counted: boolean }) {
  const signed = doc.kind === "adjustment" && line.qty > 0 ? "+" : "";
  return (
    <tr data-testid={`print-line-${line.sku}`}>
      <td className={num}>{line.lineNo}</td>
      <td className={`${cell} font-mono whitespace-nowrap`}>{line.sku}</td>
      <td className={cell}>{itemName(line, lang)}</td>
      {counted ? (
        <>
          <td className={num}>{formatQty(line.expected ?? 0, lang)}</td>
          <td className={num}>{formatQty(line.counted ?? 0, lang)}</td>
        </>
      ) : null}
      <td className={num}>
        {signed}
        {formatQty(line.qty, lang)}
      </td>
      <td className={cell}>{line.unit}</td>
      {line.unitCost !== undefined ? (
        <>
          <td className={num}>{formatKRW(line.unitCost, lang)}</td>
          <td className={num}>{formatKRW(line.value ?? 0, lang)}</td>
        </>
      ) : null}
    </tr>
  );
}

export function PrintDocument({ doc, t, lang }: { doc: PrintDoc; t: PrintT; lang: Locale }) {
  const title = documentTitle(t, doc);
  const withValues = doc.audience === "staff";
  const counted = doc.kind === "adjustment" && doc.lines.length > 0 && doc.lines.every((l) => l.expected !== undefined && l.counted !== undefined);
  const total = valueTotal(doc.lines);
  const header = (key: string, right = false) => ({ key, label: t(`print.columns.${key}`), right });
  const headers = [
    header("no", true),
    header("sku"),
    header("name"),
    ...(counted ? [header("expected", true), header("counted", true)] : []),
    header(doc.kind === "adjustment" ? "difference" : "qty", true),
    header("unit"),
    ...(withValues ? [header("unitCost", true), header("value", true)] : []),
  ];
  const columns = headers.length;
  return (
    <article lang={lang} className="print-document print-sheet" data-testid="print-document">
      <header className="flex items-start justify-between gap-6 border-b-2 border-slate-900 pb-3">
        <div data-testid="print-company">
          <p className="text-lg font-bold">{t("print.company.name")}</p>
          <p className="text-xs text-slate-700">{t("print.company.address")}</p>
        </div>
        <div className="text-right">
          <h1 className="text-2xl font-bold tracking-wide" data-testid="print-title">
            {title}
          </h1>
          <p className="font-mono text-sm" data-testid="print-number">
            {doc.number}
          </p>
          <Barcode value={doc.number} label={t("print.barcode", { number: doc.number })} />
        </div>
      </header>

      {doc.status !== "committed" ? (
        <p className="mt-3 border border-slate-900 px-2 py-1 text-sm font-semibold" data-testid="print-not-final">
          {t("print.notFinal", { status: statusLabel(t, doc) })}
        </p>
      ) : null}

      <section className="mt-4 grid grid-cols-2 gap-x-8 text-sm">
        <dl>
          <Field label={t("print.fields.number")} value={<span className="font-mono">{doc.number}</span>} />
          <Field label={t("print.fields.status")} value={statusLabel(t, doc)} testId="print-status" />
          <Field label={t("print.fields.created")} value={formatDate(doc.createdAt, lang)} />
          {doc.committedAt ? <Field label={t(`print.fields.committed.${doc.kind}`)} value={formatDate(doc.committedAt, lang)} /> : null}
        </dl>
        <dl data-testid="print-parties">
          {parties(t, doc).map((p) => (
            <Field key={p.label} label={p.label} value={p.value} />
          ))}
        </dl>
      </section>

      <table className="print-lines mt-4 w-full border-collapse text-sm" data-testid="print-lines">
        <caption className="sr-only">{t("print.linesCaption", { number: doc.number })}</caption>
        <thead className="bg-slate-100">
          <tr>
            {headers.map((h) => (
              <th key={h.key} scope="col" className={`${cell} ${h.right ? "text-right" : "text-left"}`}>
                {h.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {doc.lines.length === 0 ? (
            <tr>
              <td colSpan={columns} className={`${cell} text-center`}>
                {t("print.noLines")}
              </td>
            </tr>
          ) : (
            doc.lines.map((line) => <LineRow key={line.lineNo} line={line} doc={doc} lang={lang} counted={counted} />)
          )}
        </tbody>
        <tfoot className="print-totals font-semibold" data-testid="print-totals">
          <tr>
            <th scope="row" colSpan={3 + (counted ? 2 : 0)} className={`${cell} text-right`}>
              {t("print.totals.quantity")}
            </th>
            <td colSpan={2 + (withValues ? 2 : 0)} className={`${cell} tabular-nums`}>
              {totalsByUnit(doc.lines)
                .map((u) => `${doc.kind === "adjustment" && u.qty > 0 ? "+" : ""}${formatQty(u.qty, lang)} ${u.unit}`)
                .join(", ") || "—"}
            </td>
          </tr>
          {total !== null ? (
            <tr>
              <th scope="row" colSpan={columns - 1} className={`${cell} text-right`}>
                {t("print.totals.value")}
              </th>
              <td className={num} data-testid="print-value-total">
                {formatKRW(total, lang)}
              </td>
            </tr>
          ) : null}
        </tfoot>
      </table>

      {doc.note ? (
        <section className="mt-3 text-sm">
          <h2 className="font-semibold">{t("print.fields.note")}</h2>
          <p className="whitespace-pre-line">{doc.note}</p>
        </section>
      ) : null}

      <section className="print-signatures mt-8 grid grid-cols-3 gap-4 text-sm" aria-label={t("print.signatures.caption")} data-testid="print-signatures">
        {SIGNATURES[doc.kind].map((key) => (
          <div key={key} className="border border-slate-900" data-testid={`print-signature-${key}`}>
            <p className="border-b border-slate-900 bg-slate-100 px-2 py-1 text-center font-semibold">{t(`print.signatures.${key}`)}</p>
            <div className="h-16" />
            <p className="border-t border-slate-400 px-2 py-1 text-xs">{t("print.signatures.name")}</p>
            <p className="border-t border-slate-400 px-2 py-1 text-xs">{t("print.signatures.date")}</p>
          </div>
        ))}
      </section>
    </article>
  );
}
