"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Any flows page that fails to load.
export default SegmentError;
