import { FlowDetailSkeleton } from "@/components/flows/skeletons";

export default FlowDetailSkeleton;
