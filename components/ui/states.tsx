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

/** A list page's outline: title, tabs or filters, then the table. */
export function ListOutline({ filters = false }: { filters?: boolean }) {
  return (
    <LoadingOutline>
      <Skeleton height={36} className="mb-6 w-48" />
      <Skeleton height={40} className="mb-4" />
      {filters ? <Skeleton height={72} className="mb-4" /> : null}
      <Skeleton height={420} />
    </LoadingOutline>
  );
}

/** A record page's outline: breadcrumb, title, then cards of the given heights beside a side column. */
export function DetailOutline({ main, side = 320 }: { main: number[]; side?: number }) {
  return (
    <LoadingOutline>
      <Skeleton height={20} className="mb-2 w-24" />
      <Skeleton height={36} className="mb-6 w-72" />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {main.map((height, i) => (
            <Skeleton key={i} height={height} />
          ))}
        </div>
        <Skeleton height={side} />
      </div>
    </LoadingOutline>
  );
}
