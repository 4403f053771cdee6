import { Skeleton } from "@/components/ui/states";

// Loading placeholders shaped like the pages they stand in for (header, filters, table), so the
// real content replaces them without moving anything around.

export function ListPageSkeleton({ label, rows = 10, filters = true }: { label: string; rows?: number; filters?: boolean }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">{label}</span>
      <div className="mb-6 space-y-2">
        <Skeleton height={32} className="w-48" />
        <Skeleton height={16} className="w-80 max-w-full" />
      </div>
      {filters ? <Skeleton height={72} className="mb-4" /> : null}
      <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
        <Skeleton height={20} />
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} height={24} />
        ))}
      </div>
    </div>
  );
}

export function FormPageSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      <span className="sr-only">{label}</span>
      <div className="mb-6 space-y-2">
        <Skeleton height={32} className="w-48" />
        <Skeleton height={16} className="w-72 max-w-full" />
      </div>
      <Skeleton height={360} />
    </div>
  );
}
