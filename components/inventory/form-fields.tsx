import type { InputHTMLAttributes, SelectHTMLAttributes } from "react";

// Labelled inputs for the inventory forms: every input has a visible label, and an error is
// announced with the input (aria-describedby) rather than shown by colour alone.

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 aria-[invalid=true]:border-red-700";

function Label({ htmlFor, text, required, requiredLabel }: { htmlFor: string; text: string; required?: boolean; requiredLabel?: string }) {
  return (
    <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
      {text}
      {required ? (
        <span className="ml-0.5 text-red-700" title={requiredLabel}>
          *
        </span>
      ) : null}
    </label>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-xs text-red-800">
      {error}
    </p>
  ) : null;
}

type Common = { id: string; label: string; error?: string; hint?: string; requiredLabel?: string; className?: string };

export function TextField({ id, label, error, hint, requiredLabel, className = "", ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <Label htmlFor={id} text={label} required={input.required} requiredLabel={requiredLabel} />
      <input id={id} name={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={inputClass} {...input} />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-700">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  error,
  requiredLabel,
  options,
  className = "",
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <div className={className}>
      <Label htmlFor={id} text={label} required={select.required} requiredLabel={requiredLabel} />
      <select id={id} name={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} className={inputClass} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

export function CheckboxField({ id, label, className = "", ...input }: { id: string; label: string; className?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={`flex items-center gap-2 ${className}`}>
      <input id={id} name={id} type="checkbox" className="h-4 w-4 rounded border-slate-400 text-brand-600" {...input} />
      <label htmlFor={id} className="text-sm text-slate-800">
        {label}
      </label>
    </div>
  );
}

/** A form-level error (network, permission, conflict): announced when it appears. */
export function FormError({ message }: { message?: string | null }) {
  return message ? (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
      {message}
    </p>
  ) : null;
}
