"use client";

import { Analytics } from "@vercel/analytics/next";
import { SpeedInsights } from "@vercel/speed-insights/next";
import { urlWithoutQuery } from "@/lib/observability/url-without-query";

// Vercel Web Analytics and Speed Insights, sending page paths only (see urlWithoutQuery). A
// client component because the beforeSend functions cannot cross from the server layout.
export function VercelInsights() {
  return (
    <>
      <Analytics beforeSend={urlWithoutQuery} />
      <SpeedInsights beforeSend={urlWithoutQuery} />
    </>
  );
}
