"use client";

import { Button } from "@/components/ui/button";

/** Opens the browser's print dialog (a click handler, not an inline script: the CSP allows none). */
export function PrintButton({ label }: { label: string }) {
  return (
    <Button variant="primary" onClick={() => window.print()} data-testid="print-button">
      {label}
    </Button>
  );
}
