import { DetailOutline, ListOutline } from "@/components/ui/states";

// Loading outlines of the inspection, customer and portal pages, in the shape of what replaces them.

export function ListSkeleton() {
  return <ListOutline />;
}

export function DetailSkeleton() {
  return <DetailOutline main={[120, 320]} />;
}
