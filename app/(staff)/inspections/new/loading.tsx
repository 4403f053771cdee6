import { DetailSkeleton } from "@/components/inspections/skeletons";

export default DetailSkeleton;
