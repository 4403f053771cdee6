import { ListOutline, LoadingOutline, Skeleton } from "@/components/ui/states";

// Loading outlines for the flow pages: the same shape as the page that replaces them, so
// nothing jumps when it arrives.

/** /flows: title, tabs, filters, table. */
export function FlowListSkeleton() {
  return <ListOutline filters />;
}

/** /flows/new: header, form, lines. */
export function FlowFormSkeleton() {
  return (
    <LoadingOutline>
      <Skeleton height={36} className="mb-6 w-64" />
      <Skeleton height={260} className="mb-6" />
      <Skeleton height={240} />
    </LoadingOutline>
  );
}
