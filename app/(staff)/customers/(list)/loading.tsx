import { ListSkeleton } from "@/components/inspections/skeletons";

export default ListSkeleton;
