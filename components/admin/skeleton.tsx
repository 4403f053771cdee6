import { Skeleton } from "@/components/ui/states";

/** An admin list page while it loads: title, filters and table placeholders of the final size. */
export function AdminPageSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{label}</span>
      <Skeleton height={40} className="mb-6 w-64" />
      <Skeleton height={64} className="mb-4" />
      <Skeleton height={420} />
    </div>
  );
}
