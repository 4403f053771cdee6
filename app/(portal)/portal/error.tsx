"use client";

import { SegmentError } from "@/components/inspections/segment-error";

// Any portal page that fails to load.
export default SegmentError;
