import { StepChartSvg } from "@/components/charts/svg-chart";
import type { BalancePoint, BalanceSeries } from "./ledger-series";

// Colours that keep 4.5:1 against white, one per location.
const COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e"];

/**
 * The running balance per location as step lines, drawn on the server (no chart code in the
 * browser). The box has a fixed height, so the page never shifts; the exact figures are in the
 * ledger table below it.
 */
export function LedgerChart({ series, title, summary, format }: { series: BalanceSeries; title: string; summary: string; format: (n: number) => string }) {
  return (
    <figure className="m-0">
      <figcaption className="sr-only">{title}</figcaption>
      <StepChartSvg
        testId="ledger-chart"
        points={series.points.map((p): BalancePoint & { title: string } => ({ ...p, title: p.label }))}
        series={series.locations.map((code, i) => ({ key: code, name: code, colour: COLOURS[i % COLOURS.length] }))}
        value={(p, key) => {
          const v = p[key];
          return typeof v === "number" ? v : undefined;
        }}
        height={200}
        label={summary}
        format={format}
      />
    </figure>
  );
}
