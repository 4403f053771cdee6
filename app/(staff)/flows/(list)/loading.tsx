import { FlowListSkeleton } from "@/components/flows/skeletons";

export default FlowListSkeleton;
