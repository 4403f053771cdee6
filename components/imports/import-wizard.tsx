"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { api, newRequestKey, sendBytes, type ApiFailure, type ApiResult } from "@/components/toolkit/api";
import { useForm } from "@/components/toolkit/use-form";
import { useErrorText } from "@/components/toolkit/error-text";
import { refusalKey, refusalParams } from "@/lib/imports/refusal";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { ImportKind, ImportRecord, ImportResult, ImportRow, RowStatus } from "@/lib/data/imports";
import { ImportRows } from "./import-rows";

// Upload → progress (read from the server) → columns and rows checked → apply → result.
// The same API calls as any client (app/api/v1/imports).

type Choice = { id: string; label: string };
const FIELDS: Record<ImportKind, string[]> = {
  items: ["sku", "name_ko", "name_zh", "name_en", "unit", "engine_code", "reorder_point", "unit_cost", "barcode", "customer_code", "active"],
  inbound: ["sku", "barcode", "name", "qty"],
  outbound: ["sku", "barcode", "name", "qty"],
  stocktake: ["sku", "barcode", "name", "qty"],
};
const MAX_FILE_BYTES = 20 * 1024 * 1024;
type ImportUpload = { token: string; url: string; headers: Record<string, string> };
const input = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** A label tied to its control by id, so the control's name is the label alone. */
function Field({ label, help, children }: { label: string; help?: string; children: (id: string, describedBy?: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="text-sm">
      <label htmlFor={id} className="font-medium text-slate-800">{label}</label>
      {children(id, help ? `${id}-help` : undefined)}
      {help ? <p id={`${id}-help`} className="mt-1 text-xs text-slate-600">{help}</p> : null}
    </div>
  );
}

/** A refused file or target names its reason in the import's words. */
function useFailureText(): (e: ApiFailure) => string {
  const t = useTranslations("imports");
  return useErrorText({
    own: (e) => {
      const key = refusalKey(e.details);
      return key && t.has(key) ? t(key, refusalParams(e.details)) : undefined;
    },
  });
}

export function ImportWizard({ kinds, locations, customers }: { kinds: ImportKind[]; locations: Choice[]; customers: Choice[] }) {
  const t = useTranslations("imports");
  const failureText = useFailureText();
  // The upload form's fields, and the busy flag and error line of every step (upload, remap, apply).
  const form = useForm({ kind: (kinds[0] ?? "inbound") as ImportKind, location_id: locations[0]?.id ?? "", customer_id: customers[0]?.id ?? "" });
  const { kind, location_id: location, customer_id: customer } = form.values;
  const { busy, formError: error, setFormError: setError } = form;
  const [progress, setProgress] = useState<number | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const formId = useId();
  const [record, setRecord] = useState<ImportRecord | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [mapping, setMapping] = useState<Record<string, number | null>>({});
  const [tab, setTab] = useState<RowStatus>("error");
  const [rows, setRows] = useState<ImportRow[]>([]);
  const polling = useRef<ReturnType<typeof setInterval> | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const needsLocation = kind !== "items";

  useEffect(() => () => {
    if (polling.current) clearInterval(polling.current);
  }, []);

  async function loadRows(id: string, status: RowStatus) {
    const res = await api<ImportRow[]>("GET", `/api/v1/imports/${id}/rows?status=${status}&limit=200`);
    setRows(res.ok ? res.data : []);
  }

  async function show(rec: ImportRecord) {
    setRecord(rec);
    setMapping(rec.mapping);
    const first: RowStatus = rec.rows.error > 0 ? "error" : rec.rows.changed > 0 ? "changed" : "new";
    setTab(first);
    await loadRows(rec.id, first);
  }

  /** Direct upload (up to 20 MB: the bytes never pass through a function's request body), then the import by its token. */
  async function sendFile(file: File, fields: Record<string, string>): Promise<ApiResult<ImportRecord>> {
    const begun = await api<ImportUpload>("POST", "/api/v1/imports/uploads", { body: { file_name: file.name, size: file.size } });
    if (!begun.ok) return begun;
    const put = await sendBytes(begun.data.url, { method: "PUT", headers: begun.data.headers, body: file });
    if (!put.ok) return put;
    return api<ImportRecord>("POST", "/api/v1/imports", { body: { ...fields, upload: begun.data.token, file_name: file.name } });
  }

  // Runs inside form.submit, wrapped when the form is sent (it keeps the progress poll in a ref).
  async function upload(element?: HTMLFormElement) {
    const input = element?.elements.namedItem("file");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setError(t("refused.too_large"));
      return;
    }
    const id = newRequestKey();
    // The fields the form shows for this kind: a warehouse except for items, a customer for outbound.
    const fields: Record<string, string> = { id, kind };
    if (needsLocation && location) fields.location_id = location;
    if (kind === "outbound" && customer) fields.customer_id = customer;
    setRecord(null);
    setResult(null);
    setProgress(0);
    // The server reports how far reading and checking have come.
    polling.current = setInterval(async () => {
      const res = await api<ImportRecord>("GET", `/api/v1/imports/${id}`);
      if (res.ok) setProgress(res.data.progress);
    }, 500);
    try {
      const res = await sendFile(file, fields);
      if (res.ok) await show(res.data);
      else setError(failureText(res.error));
    } finally {
      if (polling.current) clearInterval(polling.current);
      setProgress(null);
    }
  }

  const remap = form.submit(async () => {
    if (!record) return;
    const res = await api<ImportRecord>("PATCH", `/api/v1/imports/${record.id}`, { body: { mapping } });
    if (res.ok) await show(res.data);
    else setError(failureText(res.error));
  });

  const apply = form.submit(async () => {
    if (!record) return;
    const res = await api<ImportResult>("POST", `/api/v1/imports/${record.id}/apply`);
    if (res.ok) setResult(res.data);
    else setError(failureText(res.error));
  });

  const templateUrl = `/api/v1/imports/templates/${kind}?format=xlsx${kind === "stocktake" && location ? `&location_id=${location}` : ""}`;

  return (
    <div className="space-y-4">
      <Card>
        <form {...form.formProps} onSubmit={(e) => void form.submit(upload)(e)} className="grid gap-3 md:grid-cols-2" data-testid="import-form">
          <Field label={t("page.kind")} help={t(`kindHelp.${kind}`)}>
            {(id, describedBy) => (
              <select id={id} aria-describedby={describedBy} name="kind" className={input} value={kind} onChange={form.set("kind")}>
                {kinds.map((k) => (
                  <option key={k} value={k}>{t(`kinds.${k}`)}</option>
                ))}
              </select>
            )}
          </Field>
          {needsLocation ? (
            <Field label={t("page.warehouse")}>
              {(id) => (
                <select id={id} name="location_id" className={input} value={location} onChange={form.set("location_id")}>
                  {locations.map((l) => (
                    <option key={l.id} value={l.id}>{l.label}</option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          {kind === "outbound" ? (
            <Field label={t("page.customer")}>
              {(id) => (
                <select id={id} name="customer_id" className={input} value={customer} onChange={form.set("customer_id")}>
                  {customers.map((c) => (
                    <option key={c.id} value={c.id}>{c.label}</option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label={t("page.file")}>
            {(id) => (
              // The browser's own file button speaks the browser's language, not the user's: the
              // input is kept for keyboard and screen readers, the visible button and name are ours.
              <div className="mt-1 flex min-w-0 items-center gap-2">
                <input
                  id={id}
                  ref={fileRef}
                  name="file"
                  type="file"
                  required
                  accept=".xlsx,.csv,.txt"
                  className="peer sr-only"
                  onChange={(e) => setFileName(e.target.files?.[0]?.name ?? null)}
                />
                <span
                  aria-hidden="true"
                  className={`${buttonClass("secondary")} shrink-0 cursor-pointer peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600`}
                  onClick={() => fileRef.current?.click()}
                >
                  {t("page.chooseFile")}
                </span>
                <span className="min-w-0 truncate text-sm text-slate-700" data-testid="import-file-name">{fileName ?? t("page.noFile")}</span>
              </div>
            )}
          </Field>
          <Field label={t("page.sheet")}>{(id) => <input id={id} name="sheet" className={input} />}</Field>
          <div className="flex flex-wrap items-end gap-2 md:col-span-2">
            <Button type="submit" variant="primary" disabled={busy}>{t("page.upload")}</Button>
            <a className={buttonClass("secondary")} href={templateUrl}>{kind === "stocktake" ? t("page.countSheet") : t("page.template")}</a>
          </div>
        </form>
        {progress !== null ? (
          <div className="mt-3">
            <p className="text-sm text-slate-700" id={`${formId}-progress`}>{t("page.progress")}</p>
            <div
              className="mt-1 h-2 w-full rounded bg-slate-200"
              role="progressbar"
              aria-labelledby={`${formId}-progress`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(progress * 100)}
            >
              <div className="h-2 rounded bg-brand-600" style={{ width: `${Math.round(progress * 100)}%` }} data-testid="import-progress" />
            </div>
          </div>
        ) : null}
        {error ? <p role="alert" className="mt-3 text-sm text-red-700">{error}</p> : null}
      </Card>

      {record && !result ? (
        <Card title={`${record.file_name} — ${t(`status.${record.status}`)}`}>
          <p className="text-sm text-slate-700" data-testid="import-counts">
            {(["new", "changed", "unchanged", "error"] as const).map((s) => `${t(`rowStatus.${s}`)} ${record.rows[s]}`).join(" · ")}
          </p>
          <h3 className="mt-4 text-sm font-semibold text-slate-900">{t("page.mapping")}</h3>
          <div className="mt-2 grid gap-2 md:grid-cols-4">
            {FIELDS[record.kind].map((field) => (
              <Field key={field} label={t(`fields.${field === "qty" && record.kind === "stocktake" ? "counted" : field}`)}>
                {(id) => (
                <select
                  id={id}
                  className={input}
                  value={mapping[field] ?? ""}
                  onChange={(e) => setMapping({ ...mapping, [field]: e.target.value === "" ? null : Number(e.target.value) })}
                >
                  <option value="">{t("page.notMapped")}</option>
                  {record.headers.map((h, i) => (
                    <option key={i} value={i}>{h ?? `#${i + 1}`}</option>
                  ))}
                </select>
                )}
              </Field>
            ))}
          </div>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button onClick={() => void remap()} disabled={busy}>{t("page.remap")}</Button>
            {record.rows.error > 0 ? (
              <a className={buttonClass("secondary")} href={`/api/v1/imports/${record.id}/errors?format=xlsx`}>{t("page.errorReport")}</a>
            ) : null}
            <Button variant="primary" onClick={() => void apply()} disabled={busy || record.status !== "ready"}>{t("page.apply")}</Button>
          </div>
          <ImportRows
            record={record}
            tab={tab}
            rows={rows}
            onTab={(s) => {
              setTab(s);
              void loadRows(record.id, s);
            }}
          />
        </Card>
      ) : null}

      {result ? (
        <Card title={t("page.applied")}>
          <p className="text-sm text-slate-800" data-testid="import-result">{t("page.result", { created: result.created, updated: result.updated })}</p>
          <div className="mt-3 flex flex-wrap gap-2">
            {result.flow ? (
              <Link className={buttonClass("primary")} href={`/flows/${result.flow.id}`}>{t("page.openFlow", { number: result.flow.number })}</Link>
            ) : null}
            {result.kind === "items" ? <Link className={buttonClass("secondary")} href="/items?sort=-updated_at">{t("page.openItems")}</Link> : null}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
