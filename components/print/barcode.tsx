import { barRuns, encodeCode128 } from "@/lib/barcode/code128";

const QUIET = 10; // modules of white either side, as scanners need

/** A Code 128 barcode as inline SVG: one path of bars, drawn in modules and scaled by CSS. */
export function Barcode({ value, label, height = 40 }: { value: string; label: string; height?: number }) {
  let modules: string;
  try {
    ({ modules } = encodeCode128(value));
  } catch {
    // Flow numbers are ASCII (IN-2026-000001); anything else prints as text only, not as a 500.
    return null;
  }
  const width = modules.length + 2 * QUIET;
  const d = barRuns(modules)
    .map((r) => `M${r.x + QUIET} 0h${r.width}v${height}h-${r.width}z`)
    .join("");
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="print-barcode"
      data-value={value}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      shapeRendering="crispEdges"
      className="h-12 w-64 max-w-full"
    >
      <path d={d} fill="#000" />
    </svg>
  );
}
