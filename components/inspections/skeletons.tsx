import { LoadingOutline, Skeleton } from "@/components/ui/states";

// Loading outlines of the inspection, customer and portal pages, in the shape of what replaces them.

export function ListSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={36} className="mb-6 w-48" />
      <Skeleton height={40} className="mb-4" />
      <Skeleton height={420} />
    </LoadingOutline>
  );
}

export function DetailSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={20} className="mb-2 w-24" />
      <Skeleton height={36} className="mb-6 w-72" />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Skeleton height={120} />
          <Skeleton height={320} />
        </div>
        <Skeleton height={320} />
      </div>
    </LoadingOutline>
  );
}
