import { LoadingOutline, Skeleton } from "@/components/ui/states";

// Loading outlines for the flow pages: the same shape as the page that replaces them, so
// nothing jumps when it arrives.

/** /flows: title, tabs, filters, table. */
export function FlowListSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={36} className="mb-6 w-48" />
      <Skeleton height={40} className="mb-4" />
      <Skeleton height={72} className="mb-4" />
      <Skeleton height={420} />
    </LoadingOutline>
  );
}

/** /flows/new and /flows/[id]/edit: header, form, lines. */
export function FlowFormSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={36} className="mb-6 w-64" />
      <Skeleton height={260} className="mb-6" />
      <Skeleton height={240} />
    </LoadingOutline>
  );
}

/** /flows/[id]: header, details and lines beside the timeline. */
export function FlowDetailSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={20} className="mb-2 w-24" />
      <Skeleton height={36} className="mb-6 w-72" />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Skeleton height={88} />
          <Skeleton height={180} />
          <Skeleton height={200} />
        </div>
        <Skeleton height={320} />
      </div>
    </LoadingOutline>
  );
}
