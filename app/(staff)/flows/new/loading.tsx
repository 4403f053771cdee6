import { FlowFormSkeleton } from "@/components/flows/skeletons";

export default FlowFormSkeleton;
