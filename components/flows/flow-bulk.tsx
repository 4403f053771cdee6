"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import type { BulkFlowAction } from "@/lib/schemas/flow-bulk";
import { ActionDialog } from "./action-dialog";
import { api, newRequestKey, type ApiFailure } from "@/components/toolkit/api";
import { FlowTable, type FlowTableRow } from "./flow-table";
import { useErrorText } from "@/components/toolkit/error-text";

type RowResult = { id: string; ok: true; number: string; status: string; shortfalls: unknown[] } | { id: string; ok: false; error: Omit<ApiFailure, "status"> };
type BulkAnswer = { action: BulkFlowAction; succeeded: number; failed: number; results: RowResult[] };
type Shown = { action: BulkFlowAction; rows: { id: string; number: string; ok: boolean; text: string }[] };

/**
 * The flow list with checkboxes: submit, approve or commit the selected flows in one request
 * (POST /api/v1/flows/bulk). The database checks each flow on its own, so the answer is a result
 * per row: done, or why not (state, segregation of duties, stock).
 */
export function FlowBulkTable({ rows, empty, actions }: { rows: FlowTableRow[]; empty: string; actions: BulkFlowAction[] }) {
  const t = useTranslations("flows");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [busy, setBusy] = useState<BulkFlowAction | null>(null);
  const [confirmCommit, setConfirmCommit] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [refreshing, startRefresh] = useTransition();

  // Rows that left the page (after a refresh) are no longer selected.
  const visible = new Set(rows.map((r) => r.id));
  const picked = [...selected].filter((id) => visible.has(id));
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));

  const selection = {
    selected,
    toggle: (id: string) =>
      setSelected((s) => {
        const next = new Set(s);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    toggleAll: (on: boolean) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set()),
  };

  async function run(action: BulkFlowAction) {
    if (busy || picked.length === 0) return;
    setBusy(action);
    setShown(null);
    try {
      const res = await api<BulkAnswer>("POST", "/api/v1/flows/bulk", { body: { action, ids: picked }, idempotencyKey: newRequestKey() });
      setConfirmCommit(false);
      if (!res.ok) {
        toast.error(errorText(res.error));
        return;
      }
      const lines = res.data.results.map((r) => ({
        id: r.id,
        number: r.ok ? r.number : (numberOf.get(r.id) ?? r.id),
        ok: r.ok,
        text: r.ok
          ? r.shortfalls.length > 0
            ? `${t(`statuses.${r.status}` as "statuses.draft")} · ${t("stock.badge", { count: r.shortfalls.length })}`
            : t(`statuses.${r.status}` as "statuses.draft")
          : errorText({ status: 0, ...r.error }),
      }));
      setShown({ action, rows: lines });
      const summary = t("bulk.summary", { succeeded: res.data.succeeded, failed: res.data.failed });
      if (res.data.failed > 0) toast.warning(summary);
      else toast.success(summary);
      setSelected(new Set(res.data.results.filter((r) => !r.ok).map((r) => r.id)));
      startRefresh(() => router.refresh());
    } finally {
      setBusy(null);
    }
  }

  const disabled = busy !== null || refreshing;
  return (
    <div className="space-y-3">
      {actions.length > 0 ? (
        <div role="group" aria-label={t("bulk.label")} className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm">
          <span className="text-slate-800" data-testid="bulk-count">
            {t("bulk.selected", { count: picked.length })}
          </span>
          {actions.map((action) => (
            <Button
              key={action}
              variant={action === "commit" ? "primary" : "secondary"}
              disabled={disabled || picked.length === 0}
              onClick={() => (action === "commit" ? setConfirmCommit(true) : void run(action))}
              data-testid={`bulk-${action}`}
            >
              {busy === action ? t("actions.working") : t(`bulk.${action}`)}
            </Button>
          ))}
        </div>
      ) : null}
      {shown ? (
        <section aria-labelledby="bulk-results-title" data-testid="bulk-results" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <h2 id="bulk-results-title" className="font-semibold text-slate-900">
            {t("bulk.resultsTitle", { action: t(`actions.${shown.action}`) })}
          </h2>
          <ul className="mt-2 space-y-1">
            {shown.rows.map((r) => (
              <li key={r.id} data-testid={`bulk-result-${r.number}`} className={r.ok ? "text-emerald-900" : "text-red-800"}>
                <span className="font-mono">{r.number}</span> — {r.ok ? t("bulk.done") : t("bulk.refused")}: {r.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <FlowTable rows={rows} empty={empty} selection={actions.length > 0 ? selection : undefined} />
      <ActionDialog
        open={confirmCommit}
        title={t("bulk.commitTitle", { count: picked.length })}
        description={t("bulk.commitBody")}
        confirmLabel={t("bulk.commit")}
        cancelLabel={tc("actions.close")}
        pending={disabled}
        onConfirm={() => run("commit")}
        onClose={() => setConfirmCommit(false)}
      />
    </div>
  );
}
