import Form from "next/form";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

// The filter forms of the list pages: plain GET forms, so the filters live in the URL (shareable,
// reload-safe, work before JavaScript loads). Submitting starts again at page 1.

const controlClass = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900";

export function FilterBar({
  action,
  formKey,
  label,
  submitLabel,
  resetLabel,
  children,
}: {
  action: string;
  /** Changes with the URL, so the uncontrolled inputs show the current filters after "Reset". */
  formKey: string;
  label: string;
  submitLabel: string;
  resetLabel: string;
  children: React.ReactNode;
}) {
  return (
    <Form key={formKey} action={action} role="search" aria-label={label} className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      {children}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("primary")}>
          {submitLabel}
        </button>
        <Link href={action} className={buttonClass("secondary")}>
          {resetLabel}
        </Link>
      </div>
    </Form>
  );
}

export function FilterText({ name, label, defaultValue, placeholder, className = "w-full sm:w-64" }: { name: string; label: string; defaultValue?: string; placeholder?: string; className?: string }) {
  const id = `filter-${name}`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={id} name={name} type="search" defaultValue={defaultValue} placeholder={placeholder} maxLength={100} className={controlClass} />
    </div>
  );
}

export function FilterSelect({
  name,
  label,
  defaultValue,
  options,
  className = "w-full sm:w-48",
}: {
  name: string;
  label: string;
  defaultValue?: string;
  options: { value: string; label: string }[];
  className?: string;
}) {
  const id = `filter-${name}`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} className={controlClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
