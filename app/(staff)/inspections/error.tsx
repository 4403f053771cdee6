"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Any page of this area that fails to load.
export default SegmentError;
