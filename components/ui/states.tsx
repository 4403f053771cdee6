import { useTranslations } from "next-intl";

/** Shown when a list or widget has nothing in it. */
export function EmptyState({ message, children }: { message: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-700">
      <p>{message}</p>
      {children ? <div className="mt-3">{children}</div> : null}
    </div>
  );
}

/** Shown where data could not be loaded. */
export function ErrorState({ title, hint }: { title: string; hint?: string }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-medium">{title}</p>
      {hint ? <p className="mt-1">{hint}</p> : null}
    </div>
  );
}

/** A page's loading outline: skeleton blocks, announced once to screen readers. */
export function LoadingOutline({ children }: { children: React.ReactNode }) {
  const t = useTranslations("common");
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        {t("table.loading")}
      </p>
      {children}
    </div>
  );
}

/** A grey placeholder block of fixed height (so loading never shifts the layout). */
export function Skeleton({ height = 96, className = "" }: { height?: number; className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-lg bg-slate-200 ${className}`} style={{ height }} />;
}
