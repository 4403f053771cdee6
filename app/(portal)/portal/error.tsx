"use client";

import { SegmentError } from "@/components/ui/segment-error";

// Any portal page that fails to load.
export default SegmentError;
