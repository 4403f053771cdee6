// Label, control and error text wired together (htmlFor, aria-invalid, aria-describedby) so each
// field of the flow form is announced with its own error.

const control =
  "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";

export function controlClass(error?: string): string {
  return `${control} ${error ? "border-red-700" : "border-slate-400"}`;
}

export function errorProps(id: string, error?: string) {
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined } as const;
}

/** The `*` after a required field's label, column header or group legend (the control says it to screen readers). */
export function RequiredMark() {
  return (
    <span aria-hidden="true" className="ml-0.5 text-red-700" data-testid="required-mark">
      *
    </span>
  );
}

/** `required` marks the label (the control carries `required`/`aria-required` itself). */
export function Field({
  id,
  label,
  error,
  hint,
  children,
  className = "",
  required = false,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: React.ReactNode;
  className?: string;
  required?: boolean;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      {children}
      {hint ? <p className="mt-1 text-xs text-slate-700">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
