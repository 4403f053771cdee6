"use client";

import { useEffect, useId, useRef } from "react";
import { useForm } from "@/components/toolkit/use-form";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";

type Props = {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  cancelLabel: string;
  variant?: ButtonVariant;
  /** A text field (cancel reason, reversal note); `required` refuses an empty one. */
  text?: { label: string; required: boolean; requiredMessage: string; maxLength: number };
  pending: boolean;
  onConfirm: (text: string) => void;
  onClose: () => void;
};

/** A modal confirmation on the native <dialog>: focus trapping, Escape and the backdrop for free. */
export function ActionDialog({ open, title, description, confirmLabel, cancelLabel, variant = "primary", text, pending, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const form = useForm({ text: "" });
  const value = form.values.text;
  const error = form.errors.text;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // The dialog confirms; the caller runs the action and owns its busy state (`pending`).
  const submit = form.submit(() => {
    if (text?.required && value.trim() === "") {
      form.setErrors({ text: text.requiredMessage });
      return;
    }
    onConfirm(value.trim());
  });

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      onClose={() => {
        form.reset();
        onClose();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form {...form.formProps} onSubmit={submit} className="space-y-4 p-5" noValidate>
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <p id={`${id}-desc`} className="text-sm text-slate-800">
          {description}
        </p>
        {text ? (
          <div>
            <label htmlFor={`${id}-text`} className="block text-sm font-medium text-slate-800">
              {text.label}
            </label>
            <textarea
              id={`${id}-text`}
              rows={3}
              maxLength={text.maxLength}
              value={value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={form.set("text")}
              className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm ${error ? "border-red-700" : "border-slate-400"}`}
            />
            {error ? (
              <p id={`${id}-error`} className="mt-1 text-xs text-red-800">
                {error}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={() => ref.current?.close()}>
            {cancelLabel}
          </button>
          <button type="submit" className={buttonClass(variant)} disabled={pending}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
